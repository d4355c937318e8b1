import "server-only";
import type { Actor, EventType } from "@/lib/events";
import type { CheckpointStatus, RunStatus } from "@/lib/status";
import type { Tx } from "./statements";

export type AuditEvent = {
  type: EventType;
  runId: string;
  checkpointId?: string;
  fromStatus?: RunStatus | CheckpointStatus;
  toStatus?: RunStatus | CheckpointStatus;
  actor: Actor;
  data?: Record<string, unknown>;
  at: number;
};

/** Appends one row to the audit log (the outbox the relay broadcasts from), in the caller's unit of work. */
export function appendEvent(tx: Tx, event: AuditEvent): void {
  tx.insertEvent({
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
