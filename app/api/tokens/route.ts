import { readJson, readQuery, route } from "@/lib/api/http";
import { createTokenBody, tokenListQuery } from "@/lib/api/schemas";
import type { ApiTokenDto, CreatedApiTokenResponse, Page } from "@/lib/api/types";
import { adminActorOf } from "@/lib/auth/admin-events";
import { assertMutation, requireSession } from "@/lib/auth/guard";
import { apiTokensPage, createApiToken, toApiTokenDto } from "@/lib/auth/tokens";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

export const GET = route((req) => {
  requireSession(req, Role.admin);
  return Response.json(apiTokensPage(getRuntime().db, readQuery(req, tokenListQuery)) satisfies Page<ApiTokenDto>);
});

/** Both secrets are in this answer only: the database keeps a hash of `secret`. */
export const POST = route(async (req) => {
  assertMutation(req);
  const admin = requireSession(req, Role.admin);
  const body = await readJson(req, createTokenBody);
  const { db, log } = getRuntime();
  const { token, secret, signingSecret } = createApiToken(
    db,
    { ...body, createdBy: admin.user.id },
    adminActorOf(admin),
  );
  log.info({ tokenId: token.id, scopes: token.scopes, by: admin.user.id }, "API token created");
  return Response.json({ token: toApiTokenDto(token), secret, signingSecret } satisfies CreatedApiTokenResponse, {
    status: 201,
    headers: { "Cache-Control": "no-store" },
  });
});
