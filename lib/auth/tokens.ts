import "server-only";
import { randomUUID } from "node:crypto";
import type { AdminActor } from "@/db/admin-event-queries";
import {
  type ActiveApiToken,
  findActiveApiTokenByHash,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
  touchApiToken,
} from "@/db/auth-queries";
import type { Db } from "@/db/client";
import type { ApiToken } from "@/db/schema";
import { readCursor, toPage } from "@/lib/api/cursor";
import type { ApiTokenDto, Page } from "@/lib/api/types";
import { AppError } from "@/lib/errors";
import { AdminEventType } from "@/lib/events";
import { getRealtime } from "@/lib/realtime/hub";
import type { TokenScope } from "@/lib/scopes";
import { hashSecret, newSecret } from "./secrets";

/**
 * API tokens: `gh_` + a random secret, shown once; the database keeps only its
 * hash. Each token also gets a signing secret (`ghs_…`, shown once too), the
 * HMAC key that webhooks to this client are signed with: signing needs the key
 * itself, so that one is stored as it is.
 */

const TOKEN_PREFIX = "gh_";
const SIGNING_PREFIX = "ghs_";
/** `lastUsedAt` is written at most this often per token: a busy client must not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export type TokenIdentity = Pick<ActiveApiToken, "id" | "name" | "scopes">;

export function toApiTokenDto(token: ApiToken): ApiTokenDto {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: token.id,
    name: token.name,
    scopes: token.scopes,
    createdAt: new Date(token.createdAt).toISOString(),
    lastUsedAt: iso(token.lastUsedAt),
    revokedAt: iso(token.revokedAt),
  };
}

/** A new token, recorded as made by `by` (its name and scopes; never a secret). `createdBy` is the user who owns it. */
export function createApiToken(
  db: Db,
  request: { name: string; scopes: readonly TokenScope[]; createdBy: string | null },
  by: AdminActor,
): { token: ApiToken; secret: string; signingSecret: string } {
  const secret = `${TOKEN_PREFIX}${newSecret()}`;
  const signingSecret = `${SIGNING_PREFIX}${newSecret()}`;
  const id = randomUUID();
  // stored in a fixed order, once each, whatever order they were asked in
  const scopes = [...new Set(request.scopes)].sort();
  const token = insertApiToken(
    db,
    {
      id,
      name: request.name,
      tokenHash: hashSecret(secret),
      scopes,
      signingSecret,
      createdBy: request.createdBy,
      createdAt: Date.now(),
    },
    {
      ...by,
      type: AdminEventType.tokenCreated,
      subjectUserId: request.createdBy,
      subjectId: id,
      data: { name: request.name, scopes },
    },
  );
  return { token, secret, signingSecret };
}

/**
 * The unrevoked token a client presents, or undefined (anything without our
 * prefix is not looked up). Records the use, at most once a minute.
 */
export function apiTokenForSecret(db: Db, secret: string): TokenIdentity | undefined {
  if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
  const token = findActiveApiTokenByHash(db, hashSecret(secret));
  if (!token) return undefined;
  const now = Date.now();
  if (token.lastUsedAt === null || token.lastUsedAt < now - LAST_USED_RESOLUTION_MS) {
    touchApiToken(db, token.id, now, now - LAST_USED_RESOLUTION_MS);
  }
  return { id: token.id, name: token.name, scopes: token.scopes };
}

/** A keyset page of tokens, oldest first (never a secret). */
export function apiTokensPage(db: Db, query: { limit: number; cursor?: string }): Page<ApiTokenDto> {
  return toPage(listApiTokens(db, { limit: query.limit, after: readCursor(query.cursor) }), toApiTokenDto);
}

/**
 * Revokes a token: from the commit on it gets 401, and its live sockets drop
 * at once. The revoke is recorded once (in the history of whoever made the token too).
 */
export function revokeToken(db: Db, id: string, by: AdminActor): ApiToken {
  const token = revokeApiToken(db, id, Date.now(), (revoked) => ({
    ...by,
    type: AdminEventType.tokenRevoked,
    subjectUserId: revoked.createdBy,
    subjectId: revoked.id,
    data: { name: revoked.name, scopes: revoked.scopes },
  }));
  if (!token) throw new AppError("not_found", `Token ${id} not found`);
  getRealtime()?.disconnectToken(id);
  return token;
}
