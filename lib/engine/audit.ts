import { sql } from "drizzle-orm";
import { workflowEvents } from "@/db/schema";
import type { Actor, EventType } from "@/lib/events";
import { prepared } from "./prepared";
import type { Tx } from "./tx";

export type AuditEvent = {
  type: EventType;
  runId: string;
  checkpointId?: string;
  fromStatus?: string;
  toStatus?: string;
  actor: Actor;
  data?: Record<string, unknown>;
  at: number;
};

const p = (name: string) => sql.placeholder(name);

function prepare(tx: Tx) {
  return tx
    .insert(workflowEvents)
    .values({
      type: p("type"),
      runId: p("runId"),
      checkpointId: p("checkpointId"),
      fromStatus: p("fromStatus"),
      toStatus: p("toStatus"),
      actorType: p("actorType"),
      actorId: p("actorId"),
      actorName: p("actorName"),
      data: p("data"),
      createdAt: p("createdAt"),
    })
    .prepare();
}

/** Appends one row to the audit log (the outbox the relay broadcasts from), in the caller's unit of work. */
export function appendEvent(tx: Tx, event: AuditEvent): void {
  prepared(tx, "appendEvent", prepare).run({
    type: event.type,
    runId: event.runId,
    checkpointId: event.checkpointId ?? null,
    fromStatus: event.fromStatus ?? null,
    toStatus: event.toStatus ?? null,
    actorType: event.actor.type,
    actorId: event.actor.id,
    actorName: event.actor.name,
    data: event.data ?? null,
    createdAt: event.at,
  });
}
