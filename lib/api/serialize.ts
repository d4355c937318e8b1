import "server-only";
import type { CheckpointSummaryRow, RunSummaryRow } from "@/db/queries";
import type { Checkpoint, WorkflowEvent, WorkflowRun, WorkflowStep } from "@/db/schema";
import type { WorkflowDefinition } from "@/lib/engine/define";
import { decisionOf } from "@/lib/inbox/decision";
import { PREVIEW_CHARS } from "@/lib/limits";
import { CHECKPOINT_ACTIONS } from "@/lib/status";
import type {
  CheckpointDto,
  CheckpointSummaryDto,
  EventDto,
  LiveEvent,
  RunDto,
  RunSummaryDto,
  StepDto,
  WorkflowDefinitionDto,
} from "./types";

/** Database rows → the API's JSON (lib/api/types.ts). Timestamps leave as ISO strings. */

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function runSummaryDto(row: RunSummaryRow): RunSummaryDto {
  return {
    id: row.id,
    workflow: row.workflowId,
    status: row.status,
    input: row.input,
    position: row.position,
    round: row.round,
    error: row.error,
    createdBy: row.createdBy,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    finishedAt: isoOrNull(row.finishedAt),
    tokens: { input: row.inputTokens, output: row.outputTokens },
  };
}

export function runDto(row: WorkflowRun): RunDto {
  return { ...runSummaryDto(row), state: row.state };
}

export function stepDto(row: WorkflowStep): StepDto {
  return {
    id: row.id,
    stepIndex: row.stepIndex,
    name: row.stepName,
    round: row.round,
    attempt: row.attempt,
    status: row.status,
    output: row.output,
    error: row.error,
    model: row.model,
    usage: row.usage,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    durationMs: row.finishedAt - row.startedAt,
  };
}

export function checkpointSummaryDto(row: CheckpointSummaryRow): CheckpointSummaryDto {
  return {
    id: row.id,
    runId: row.runId,
    workflow: row.workflowId,
    stepIndex: row.stepIndex,
    step: row.stepName,
    round: row.round,
    showKey: row.showKey,
    contentType: row.contentType,
    preview: row.preview,
    model: row.model,
    title: row.title,
    source: row.source,
    dueAt: isoOrNull(row.dueAt),
    assignee: row.assigneeUserId
      ? { userId: row.assigneeUserId }
      : row.assigneeRole
        ? { role: row.assigneeRole }
        : null,
    allow: row.allow ?? CHECKPOINT_ACTIONS,
    status: row.status,
    edited: row.edited,
    reviewer: row.reviewerName ? { id: row.reviewerId, name: row.reviewerName } : null,
    createdAt: iso(row.createdAt),
    resolvedAt: isoOrNull(row.resolvedAt),
  };
}

export function checkpointDto(row: Checkpoint): CheckpointDto {
  const summary = checkpointSummaryDto({
    ...row,
    preview: row.content.slice(0, PREVIEW_CHARS),
    edited: row.editedContent !== null,
  });
  return {
    ...summary,
    content: row.content,
    editedContent: row.editedContent,
    notes: row.notes,
    metadata: row.metadata,
    schema: row.schema,
    onTimeout: row.onTimeout,
    decision: decisionOf(row),
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
    actor: { type: row.actorType, id: row.actorId, name: row.actorName },
    data: row.data,
    createdAt: iso(row.createdAt),
  };
}

/** Events with the summaries of what they changed (db/queries.ts `listEventsWithSummaries`). */
export function liveEventDtos(loaded: {
  events: WorkflowEvent[];
  runs: ReadonlyMap<string, RunSummaryRow>;
  checkpoints: ReadonlyMap<string, CheckpointSummaryRow>;
}): LiveEvent[] {
  // one DTO per changed row, shared by its events
  const runs = new Map([...loaded.runs].map(([id, row]) => [id, runSummaryDto(row)]));
  const checkpoints = new Map([...loaded.checkpoints].map(([id, row]) => [id, checkpointSummaryDto(row)]));
  return loaded.events.map((event) => ({
    ...eventDto(event),
    run: runs.get(event.runId) ?? null,
    checkpoint: (event.checkpointId && checkpoints.get(event.checkpointId)) || null,
  }));
}

export function definitionDto(def: WorkflowDefinition): WorkflowDefinitionDto {
  return {
    id: def.id,
    name: def.name,
    description: def.description,
    inputSchema: def.inputJsonSchema,
    steps: def.steps.map((s) => ({ name: s.name, kind: s.kind })),
  };
}
