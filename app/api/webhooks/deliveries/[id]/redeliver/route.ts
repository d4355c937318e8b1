import { readJson, route } from "@/lib/api/http";
import { emptyBody } from "@/lib/api/schemas";
import type { DeliveryDto } from "@/lib/api/types";
import { adminActorOf } from "@/lib/auth/admin-events";
import { assertMutation, requireSession } from "@/lib/auth/guard";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";
import { deliveryDto, redeliver } from "@/lib/webhooks/admin";

/** A delivered or failed delivery is queued again, due now (409 while it is still pending). */
export const POST = route<{ id: string }>(async (req, { id }) => {
  assertMutation(req);
  const admin = requireSession(req, Role.admin);
  await readJson(req, emptyBody);
  const { db, log } = getRuntime();
  const delivery = redeliver(db, id, adminActorOf(admin));
  log.info({ deliveryId: id, checkpointId: delivery.checkpointId, by: admin.user.id }, "delivery queued again");
  return Response.json({ delivery: deliveryDto(delivery) } satisfies { delivery: DeliveryDto });
});
