import { route } from "@/lib/api/http";
import type { WebhookDto } from "@/lib/api/types";
import { adminActorOf } from "@/lib/auth/admin-events";
import { assertSameOrigin, requireSession } from "@/lib/auth/guard";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";
import { disableWebhook, webhookDto } from "@/lib/webhooks/admin";

/** Disables (the row stays, for its deliveries' history); its pending deliveries are given up. A second call changes nothing. */
export const DELETE = route<{ id: string }>((req, { id }) => {
  assertSameOrigin(req);
  const admin = requireSession(req, Role.admin);
  const { db, log } = getRuntime();
  const webhook = disableWebhook(db, id, adminActorOf(admin));
  log.info({ webhookId: id, by: admin.user.id }, "webhook disabled");
  return Response.json({ webhook: webhookDto(webhook) } satisfies { webhook: WebhookDto });
});
