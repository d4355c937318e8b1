import { readJson, readQuery, route } from "@/lib/api/http";
import { createWebhookBody } from "@/lib/api/schemas";
import type { CreatedWebhookResponse, Page, WebhookDto } from "@/lib/api/types";
import { adminActorOf } from "@/lib/auth/admin-events";
import { assertMutation, requireSession } from "@/lib/auth/guard";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";
import { createWebhook, webhookDto, webhookListQuery, webhooksPage } from "@/lib/webhooks/admin";

export const GET = route((req) => {
  requireSession(req, Role.admin);
  return Response.json(webhooksPage(getRuntime().db, readQuery(req, webhookListQuery)) satisfies Page<WebhookDto>);
});

/** The secret is in this answer only: the list never shows it. */
export const POST = route(async (req) => {
  assertMutation(req);
  const admin = requireSession(req, Role.admin);
  const body = await readJson(req, createWebhookBody);
  const { db, log } = getRuntime();
  const { webhook, secret } = createWebhook(db, { ...body, createdBy: admin.user.id }, adminActorOf(admin));
  const by = admin.user.id;
  log.info({ webhookId: webhook.id, format: webhook.format, events: webhook.events, by }, "webhook created");
  return Response.json({ webhook: webhookDto(webhook), secret } satisfies CreatedWebhookResponse, {
    status: 201,
    headers: { "Cache-Control": "no-store" },
  });
});
