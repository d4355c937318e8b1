import { expect, REVIEWER_A, test } from "./support/fixtures";

/**
 * `next` spellings that are a path to the URL parser's eye only until it
 * normalises them into `//evil.example` (another host). Sent as the query
 * value as is (URLSearchParams encodes `%` and `\`), so the server sees each
 * spelling exactly as written here.
 */
const SPELLINGS = [
  "//evil.example",
  "/.//evil.example",
  "/..//evil.example",
  "/%2e//evil.example",
  "/%2E%2E//evil.example",
  "/a/..//evil.example",
  "/\\evil.example",
  "/\\\\evil.example",
  "/./\\evil.example",
  "/%5C%5Cevil.example",
];

for (const next of SPELLINGS) {
  test(`next=${next}: after sign-in, and when already signed in, the browser stays on this site`, async ({
    page,
    baseURL,
  }) => {
    const ownOrigin = new URL(baseURL!).origin;
    const elsewhere: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).origin !== ownOrigin) elsewhere.push(request.url());
    });
    const login = `/login?${new URLSearchParams({ next })}`;

    await page.goto(login);
    await page.getByLabel("Email").fill(REVIEWER_A.email);
    await page.getByLabel("Password").fill(REVIEWER_A.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.waitForLoadState("load");
    expect(new URL(page.url()).origin).toBe(ownOrigin);

    // signed in, /login redirects on the server through the same guard
    await page.goto(login);
    await page.waitForLoadState("load");
    expect(new URL(page.url()).origin).toBe(ownOrigin);
    expect(new URL(page.url()).pathname).not.toBe("/login");
    expect(elsewhere).toEqual([]);
  });
}

test("a same-site next path is still followed, after sign-in and when already signed in", async ({ page }) => {
  await page.goto("/login?next=/review");
  await page.getByLabel("Email").fill(REVIEWER_A.email);
  await page.getByLabel("Password").fill(REVIEWER_A.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/review");
  await page.goto("/");
  await page.goto("/login?next=/review");
  await expect(page).toHaveURL((url) => url.pathname === "/review");
});
