import "server-only";
import { randomUUID } from "node:crypto";
import { findActiveApiTokenByHash, insertApiToken } from "@/db/auth-queries";
import type { Db } from "@/db/client";
import { hashSecret, newSecret } from "./secrets";

/** API tokens: `gh_` + a random secret, shown once; the database keeps only its hash. */

const TOKEN_PREFIX = "gh_";

export type TokenIdentity = { id: string; name: string };

export function createApiToken(db: Db, name: string, createdBy: string | null): { id: string; secret: string } {
  const secret = `${TOKEN_PREFIX}${newSecret()}`;
  const id = randomUUID();
  insertApiToken(db, { id, name, tokenHash: hashSecret(secret), createdBy, createdAt: Date.now() });
  return { id, secret };
}

/** The unrevoked token a client presents, or undefined (anything without our prefix is not looked up). */
export function apiTokenForSecret(db: Db, secret: string): TokenIdentity | undefined {
  if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
  return findActiveApiTokenByHash(db, hashSecret(secret));
}
