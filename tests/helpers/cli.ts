import { execFileSync } from "node:child_process";
import type { Role } from "@/lib/roles";
import { ROOT } from "./server";

/** Runs the real user-management CLI (scripts/users.mjs) against a server's database file. */
function users(dbPath: string, args: string[]): string {
  return execFileSync(process.execPath, ["scripts/users.mjs", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${dbPath}`, LOG_LEVEL: "warn" },
    encoding: "utf8",
    // stderr (the token's signing secret, warnings) is kept out of the test output; a failure's message quotes it
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export type TestUser = { email: string; password: string; role: Role; name?: string };

/** Adds a user through the real CLI (`npm run users -- add …`); the one way tests/ and e2e/ create users. */
export function addUser(dbPath: string, user: TestUser): TestUser {
  const args = ["add", "--email", user.email, "--role", user.role, "--password", user.password];
  if (user.name) args.push("--name", user.name);
  users(dbPath, args);
  return user;
}

/** Creates an API token (the CLI prints its secret once) and returns the secret; scopes default to the CLI's (runs:write). */
export function createToken(dbPath: string, name: string, scopes?: readonly string[]): string {
  const args = ["token", "--name", name];
  if (scopes) args.push("--scopes", scopes.join(","));
  const token = users(dbPath, args).trim();
  if (!token.startsWith("gh_")) throw new Error(`unexpected token output: ${token}`);
  return token;
}

/** Disables a user through the CLI (ends their sessions). */
export function disableUser(dbPath: string, email: string): void {
  users(dbPath, ["disable", "--email", email]);
}
