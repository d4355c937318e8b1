import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-url";

describe("safeNextPath (where sign-in sends you next)", () => {
  it.each(["/", "/review", "/runs/abc?tab=steps#x", "/admin/history?q=a%20b"])(
    "keeps the same-site path %s",
    (path) => {
      expect(safeNextPath(path)).toBe(path);
    },
  );

  it.each([
    "//evil.example",
    "/\\evil.example",
    "/.//evil.example",
    "/..//evil.example",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    "/a/..//evil.example",
    "/./\\evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "/login?next=/x",
    "evil.example",
    "",
  ])("sends %j to / instead", (next) => {
    const target = safeNextPath(next);
    expect(target).toBe("/");
    // and whatever it returns resolves on this site
    expect(new URL(target, "http://gatehouse.test").origin).toBe("http://gatehouse.test");
  });

  it("never returns a path a browser would read as another host, for any dot/slash spelling", () => {
    const parts = ["/", "\\", ".", "..", "%2e", "%2E", "%5c", "a", "//"];
    for (const a of parts)
      for (const b of parts)
        for (const c of parts) {
          const target = safeNextPath(`/${a}${b}${c}evil.example`);
          expect(new URL(target, "http://gatehouse.test").host, target).toBe("gatehouse.test");
        }
  });
});
