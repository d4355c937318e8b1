import { apiAs, startContentRun } from "./support/api";
import { ADMIN_USER, expect, REVIEWER_A, signIn, test } from "./support/fixtures";
import { nav } from "./support/pages";

test("signed out, a page sends you to sign in, and back to that page after", async ({ page }) => {
  await page.goto("/review");
  await expect(page).toHaveURL((url) => url.pathname === "/login" && url.searchParams.get("next") === "/review");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("Email").fill(REVIEWER_A.email);
  await page.getByLabel("Password").fill(REVIEWER_A.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/review");
});

test("a wrong password is reported; after sign-in only a same-site next path is followed", async ({ page }) => {
  await page.goto("/login?next=/review");
  await page.getByLabel("Email").fill(REVIEWER_A.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "wrong" })).toHaveText("Email or password is wrong.");
  await page.getByLabel("Password").fill(REVIEWER_A.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/review");

  // already signed in: /login goes home
  await page.goto("/login");
  await expect(page).toHaveURL((url) => url.pathname === "/");

  await page.context().clearCookies();
  await page.goto("/login?next=//evil.example/phish");
  await page.getByLabel("Email").fill(REVIEWER_A.email);
  await page.getByLabel("Password").fill(REVIEWER_A.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Runs" })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/");
});

test("a reviewer gets 'Admins only' and no History link; the admin gets both", async ({ page, browser, baseURL }) => {
  await startContentRun(await apiAs(baseURL!), `History ${Date.now()}`);

  await signIn(page, REVIEWER_A);
  await expect(nav(page).getByRole("link", { name: "Runs" })).toBeVisible();
  await expect(nav(page).getByRole("link", { name: /Review/ })).toBeVisible();
  await expect(nav(page).getByRole("link", { name: "History" })).toHaveCount(0);
  await page.goto("/admin/history");
  await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Checkpoint history" })).toHaveCount(0);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/login");
  await page.goto("/review");
  await expect(page).toHaveURL((url) => url.pathname === "/login");

  const adminContext = await browser.newContext({ baseURL });
  try {
    const admin = await adminContext.newPage();
    await signIn(admin, ADMIN_USER);
    await nav(admin).getByRole("link", { name: "History" }).click();
    await expect(admin).toHaveURL((url) => url.pathname === "/admin/history");
    const table = admin.getByRole("table", { name: "Checkpoint history" });
    await expect(table.getByRole("row").nth(1)).toBeVisible();
    await expect(admin.getByRole("heading", { name: "Admins only" })).toHaveCount(0);
    // filters reach the API
    await admin.getByLabel("Status").selectOption({ label: "Rejected" });
    await admin.getByLabel("Search").fill(`no-such-text-${Date.now()}`);
    await expect(admin.getByText("No checkpoints match these filters")).toBeVisible();
  } finally {
    await adminContext.close();
  }
});
