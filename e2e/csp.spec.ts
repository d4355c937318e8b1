import type { Page } from "@playwright/test";
import { apiAs, pendingCheckpoint, startContentRun } from "./support/api";
import { ADMIN_USER, expect, REVIEWER_A, signIn, test } from "./support/fixtures";
import { expectLive, ReviewPage } from "./support/pages";

type Globals = { __injected?: number; __onerror?: number; __withNonce?: number; __external?: number };

/** Every CSP violation the page reports (in any document it loads), as "directive blocked-uri". */
async function collectViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("reportCspViolation", (violation: string) => violations.push(violation));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { reportCspViolation: (v: string) => void }).reportCspViolation;
      report(`${event.effectiveDirective} ${event.blockedURI}`);
    });
  });
  return violations;
}

test("every page loads with zero CSP violations, and the socket connects under connect-src 'self'", async ({
  page,
  baseURL,
}) => {
  const api = await apiAs(baseURL!);
  const runId = await startContentRun(api, `CSP ${Date.now()}`);
  const checkpoint = await pendingCheckpoint(api, runId, "review-research");

  const violations = await collectViolations(page);
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  const sockets: string[] = [];
  page.on("websocket", (socket) => sockets.push(socket.url()));

  const login = await page.goto("/login");
  expect(login?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic';/);
  expect(login?.headers()["content-security-policy"]).toContain("connect-src 'self';");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  // the form itself is script: signing in through it proves the nonced bundles run
  await signIn(page, ADMIN_USER);

  const pages: Array<[path: string, ready: () => Promise<void>]> = [
    ["/", () => expect(page.getByRole("table", { name: "Runs" })).toBeVisible()],
    [`/runs/${runId}`, () => expect(page.getByRole("region", { name: "Timeline" })).toBeVisible()],
    ["/review", () => expect(page.getByRole("list", { name: "Pending checkpoints" })).toBeVisible()],
    [`/review/${checkpoint.id}`, () => new ReviewPage(page).ready("review-research")],
    ["/admin/history", () => expect(page.getByRole("table", { name: "Checkpoint history" })).toBeVisible()],
  ];
  for (const [path, ready] of pages) {
    await page.goto(path);
    await ready();
    await expectLive(page);
    expect(violations, path).toEqual([]);
  }
  expect(problems).toEqual([]);
  // the live socket is a same-origin WebSocket, allowed by 'self' alone
  const origin = new URL(baseURL!);
  expect(sockets.length).toBeGreaterThan(0);
  for (const url of sockets) expect(new URL(url).host).toBe(origin.host);
  expect(sockets.every((url) => url.startsWith("ws://"))).toBe(true);
});

test("a script injected into a page without the nonce does not run; the page's own scripts and a nonced one do", async ({
  page,
}) => {
  await signIn(page, REVIEWER_A);
  const violations = await collectViolations(page);
  // an HTML injection the server never made: what stored XSS in a page would look like
  await page.route(
    (url) => url.pathname === "/review",
    async (route) => {
      const response = await route.fetch();
      const nonce = /'nonce-([^']+)'/.exec(response.headers()["content-security-policy"] ?? "")?.[1];
      expect(nonce).toBeTruthy();
      const injected = [
        "<script>window.__injected = 1</script>",
        `<img alt="" src="/no-such-image.png" onerror="window.__onerror = 1">`,
        // a same-origin script URL is no way round it either: with 'strict-dynamic', 'self' alone allows nothing
        `<script src="/attacker.js"></script>`,
        // the control: the same kind of script with this response's nonce runs
        `<script nonce="${nonce}">window.__withNonce = 1</script>`,
      ].join("");
      const body = (await response.text()).replace("</body>", `${injected}</body>`);
      await route.fulfill({ response, body });
    },
  );
  await page.route("**/attacker.js", (route) =>
    route.fulfill({ contentType: "text/javascript", body: "window.__external = 1" }),
  );
  // (a fulfilled response has no network address, so Chromium's local-network checks would block this
  // document's own socket and API calls: the page is only checked for what its scripts did)
  await page.goto("/review");
  // Next's own inline bootstrap scripts carry the nonce and ran
  await expect.poll(() => page.evaluate(() => Array.isArray((window as { __next_f?: unknown }).__next_f))).toBe(true);

  const globals = await page.evaluate(() => {
    const w = window as unknown as Globals;
    return { injected: w.__injected, onerror: w.__onerror, external: w.__external, withNonce: w.__withNonce };
  });
  expect(globals).toEqual({ injected: undefined, onerror: undefined, external: undefined, withNonce: 1 });
  // each refusal was reported: the inline script, the event handler, the script URL
  await expect
    .poll(() => [...violations].sort())
    .toEqual(
      [
        "script-src-attr inline",
        "script-src-elem inline",
        `script-src-elem ${new URL("/attacker.js", page.url())}`,
      ].sort(),
    );
});
