import { readQuery, route } from "@/lib/api/http";
import { deliveryListQuery } from "@/lib/api/schemas";
import type { DeliveryDto, Page } from "@/lib/api/types";
import { requireSession } from "@/lib/auth/guard";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";
import { deliveriesPage } from "@/lib/webhooks/admin";

/** Every notification (callbacks and webhooks), newest first, with its attempts. */
export const GET = route((req) => {
  requireSession(req, Role.admin);
  return Response.json(deliveriesPage(getRuntime().db, readQuery(req, deliveryListQuery)) satisfies Page<DeliveryDto>);
});
