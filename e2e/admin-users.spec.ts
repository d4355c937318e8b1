import { Api } from "../tests/helpers/api";
import { ADMIN_USER, expect, signIn, test } from "./support/fixtures";
import { nav, toast } from "./support/pages";

/** /admin/users: an admin manages a user (create, role, disable) and an API token (secret shown once, revoke). */

const CAROL = { email: "carol@test.local", password: "carol-password-1", name: "Carol" };

test("an admin creates a user, changes their role, disables them, and sees it all in the user's history", async ({
  page,
  browser,
  baseURL,
}) => {
  await signIn(page, ADMIN_USER);
  await nav(page).getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();

  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Name").fill(CAROL.name);
  await form.getByLabel("Email").fill(CAROL.email);
  await form.getByLabel("Role").selectOption({ label: "Reviewer" });
  await form.getByLabel("Initial password").fill(CAROL.password);
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(toast(page, `${CAROL.email} added`)).toBeVisible();

  // the same email again: the API's refusal shows in the form
  await form.getByLabel("Email").fill(CAROL.email.toUpperCase());
  await form.getByLabel("Initial password").fill("another-password");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByRole("alert")).toContainText("already exists");

  const users = page.getByRole("table", { name: "Users" });
  const row = users.getByRole("row").filter({ hasText: CAROL.email });
  await expect(row).toContainText("Reviewer");
  await expect(row).toContainText("Active");

  // Carol signs in elsewhere
  const carolContext = await browser.newContext({ baseURL });
  const carolPage = await carolContext.newPage();
  await signIn(carolPage, { ...CAROL, role: "reviewer" });

  await row.getByRole("link", { name: CAROL.name }).click();
  await expect(page.getByRole("heading", { level: 1, name: CAROL.name })).toBeVisible();
  const history = page.getByRole("list", { name: `History of ${CAROL.name}` });
  await expect(history.getByRole("listitem").first()).toContainText("User created");
  await expect(history.getByRole("listitem").first()).toContainText("by Admin");

  const roleForm = page.getByRole("form", { name: "Change role" });
  await roleForm.getByLabel("Role").selectOption({ label: "Admin" });
  await roleForm.getByRole("button", { name: "Change role" }).click();
  await expect(toast(page, `${CAROL.name} is now admin`)).toBeVisible();
  await expect(history.getByRole("listitem").first()).toContainText("role: reviewer → admin");

  await page.getByRole("button", { name: "Disable user" }).click();
  await page.getByRole("button", { name: "Confirm disable" }).click();
  await expect(toast(page, `${CAROL.name} disabled`)).toBeVisible();
  await expect(page.getByText("Disabled", { exact: true })).toBeVisible();
  await expect(history.getByRole("listitem").first()).toContainText("User disabled");
  await expect(page.getByRole("button", { name: "Enable user" })).toBeVisible();

  // her session ended with it: her next page load goes to sign-in
  await carolPage.goto("/review");
  await expect(carolPage).toHaveURL(/\/login/);
  await carolContext.close();

  // an admin cannot disable themselves: the refusal is shown inline
  await page.getByRole("link", { name: "All users" }).click();
  await users.getByRole("row").filter({ hasText: ADMIN_USER.email }).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();
  await page.getByRole("button", { name: "Disable user" }).click();
  await page.getByRole("button", { name: "Confirm disable" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "cannot disable your own account" })).toBeVisible();
  // the admin's own history shows what they did to Carol
  await expect(page.getByRole("list", { name: "History of Admin" })).toContainText("User disabled · carol@test.local");
});

test("an admin creates an API token (secret shown once, with copy buttons), then revokes it", async ({
  page,
  baseURL,
}) => {
  await signIn(page, ADMIN_USER);
  await page.goto("/admin/users");
  const form = page.getByRole("form", { name: "Create an API token" });
  await form.getByLabel("Token name").fill("e2e-bot");
  await expect(form.getByRole("checkbox", { name: /runs:write/ })).toBeChecked();
  await form.getByRole("checkbox", { name: /runs:read/ }).check();
  await form.getByRole("button", { name: "Create token" }).click();

  const secrets = page.getByRole("region", { name: "New token secrets" });
  await expect(secrets).toContainText("you will not see them again");
  await expect(secrets.getByRole("button", { name: "Copy secret" })).toBeVisible();
  await expect(secrets.getByRole("button", { name: "Copy signing secret" })).toBeVisible();
  const secret = (await secrets.getByRole("code").first().textContent())?.trim() ?? "";
  const signingSecret = (await secrets.getByRole("code").nth(1).textContent())?.trim() ?? "";
  expect(secret).toMatch(/^gh_/);
  expect(signingSecret).toMatch(/^ghs_/);

  const client = new Api(baseURL ?? "", secret, { sendOrigin: false });
  expect((await client.get("/api/workflows")).status).toBe(200);

  await secrets.getByRole("button", { name: "Done, I have copied them" }).click();
  await expect(secrets).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);

  const tokens = page.getByRole("table", { name: "API tokens" });
  const row = tokens.getByRole("row").filter({ hasText: "e2e-bot" });
  await expect(row).toContainText("runs:read, runs:write");
  await expect(row).toContainText("Active");
  await page.reload();
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(row).not.toContainText("Never");

  await row.getByRole("button", { name: "Revoke e2e-bot" }).click();
  await row.getByRole("button", { name: "Confirm revoke e2e-bot" }).click();
  await expect(toast(page, "Token “e2e-bot” revoked")).toBeVisible();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button")).toHaveCount(0);
  expect((await client.get("/api/workflows")).status).toBe(401);
});
