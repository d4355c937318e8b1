import type { Checkpoint, WorkflowEvent, WorkflowRun, WorkflowStep } from "@/db/schema";
import type { ActorType } from "@/lib/events";
import type { CheckpointStatus, RunStatus, StepStatus } from "@/lib/status";

/** The JSON the API returns. Pages import these types; the server builds them with the functions below. */

export type RunError = { message: string; step?: string; attempt?: number; kind?: string; round?: number };

export type RunDto = {
  id: string;
  workflow: string;
  status: RunStatus;
  input: Record<string, unknown>;
  state: Record<string, unknown>;
  position: number;
  round: number;
  error: RunError | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
};

export type StepDto = {
  id: number;
  stepIndex: number;
  name: string;
  round: number;
  attempt: number;
  status: StepStatus;
  output: unknown;
  error: string | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
};

export type CheckpointDto = {
  id: string;
  runId: string;
  workflow: string;
  stepIndex: number;
  step: string;
  round: number;
  showKey: string;
  contentType: "text" | "json";
  content: string;
  status: CheckpointStatus;
  editedContent: string | null;
  notes: string | null;
  reviewer: { id: string | null; name: string } | null;
  createdAt: string;
  resolvedAt: string | null;
};

export type EventDto = {
  id: number;
  type: string;
  runId: string;
  checkpointId: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  actor: { type: ActorType; id: string | null; name: string };
  data: Record<string, unknown> | null;
  createdAt: string;
};

export type Page<T> = { items: T[]; nextCursor: string | null };

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function runDto(row: WorkflowRun): RunDto {
  return {
    id: row.id,
    workflow: row.workflowId,
    status: row.status as RunStatus,
    input: JSON.parse(row.input),
    state: JSON.parse(row.state),
    position: row.position,
    round: row.round,
    error: row.error ? JSON.parse(row.error) : null,
    createdBy: row.createdBy,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    finishedAt: isoOrNull(row.finishedAt),
  };
}

export function stepDto(row: WorkflowStep): StepDto {
  return {
    id: row.id,
    stepIndex: row.stepIndex,
    name: row.stepName,
    round: row.round,
    attempt: row.attempt,
    status: row.status as StepStatus,
    output: row.output ? JSON.parse(row.output) : null,
    error: row.error,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    durationMs: row.finishedAt - row.startedAt,
  };
}

export function checkpointDto(row: Checkpoint): CheckpointDto {
  return {
    id: row.id,
    runId: row.runId,
    workflow: row.workflowId,
    stepIndex: row.stepIndex,
    step: row.stepName,
    round: row.round,
    showKey: row.showKey,
    contentType: row.contentType as CheckpointDto["contentType"],
    content: row.content,
    status: row.status as CheckpointStatus,
    editedContent: row.editedContent,
    notes: row.notes,
    reviewer: row.reviewerName ? { id: row.reviewerId, name: row.reviewerName } : null,
    createdAt: iso(row.createdAt),
    resolvedAt: isoOrNull(row.resolvedAt),
  };
}

export function eventDto(row: WorkflowEvent): EventDto {
  return {
    id: row.id,
    type: row.type,
    runId: row.runId,
    checkpointId: row.checkpointId,
    fromStatus: row.fromStatus,
    toStatus: row.toStatus,
    actor: { type: row.actorType as ActorType, id: row.actorId, name: row.actorName },
    data: row.data ? JSON.parse(row.data) : null,
    createdAt: iso(row.createdAt),
  };
}
