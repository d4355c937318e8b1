import { insertAdminEvent } from "@/db/admin-event-queries";
import { readQuery, route } from "@/lib/api/http";
import { exportQuery } from "@/lib/api/schemas";
import { requireSession } from "@/lib/auth/guard";
import { userByEmail } from "@/lib/auth/users";
import { AdminEventType } from "@/lib/events";
import { checkpointExportStream, EXPORT_CONTENT_TYPES } from "@/lib/export/stream";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

/**
 * Every checkpoint matching the history filters, newest first, streamed as
 * CSV, JSON or JSONL (SPEC §11). Admins only; the export is in the audit log.
 */
export const GET = route((req) => {
  const { user: admin } = requireSession(req, Role.admin);
  const { format, ...filters } = readQuery(req, exportQuery);
  const { db, log } = getRuntime();
  // the reviewer filter takes a user id or an email, as the history list does
  const reviewer = filters.reviewer?.includes("@")
    ? (userByEmail(db, filters.reviewer)?.id ?? filters.reviewer)
    : filters.reviewer;
  insertAdminEvent(db, {
    type: AdminEventType.checkpointsExported,
    actorUserId: admin.id,
    actorName: admin.name,
    data: { format, filters },
  });
  log.info({ format, filters, by: admin.id }, "checkpoint export started");
  const day = new Date().toISOString().slice(0, 10);
  return new Response(checkpointExportStream(db, { ...filters, reviewer }, format, log), {
    headers: {
      "Content-Type": EXPORT_CONTENT_TYPES[format],
      "Content-Disposition": `attachment; filename="gatehouse-checkpoints-${day}.${format}"`,
      // no-transform: the server's gzip (Next's compression middleware) stays off this body. Gzipping hundreds
      // of MB on the app's own cores halved the export's speed (a 1 M-row CSV: 56 s with it, 25 s without, on a
      // loaded machine); a client that wants it smaller compresses the file it saved.
      "Cache-Control": "no-store, no-transform",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
