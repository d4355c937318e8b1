import { z } from "zod";
import type { EventDto, LiveEvent } from "@/lib/api/types";
import { CHECKPOINT_EVENT_TYPES, EventType } from "@/lib/events";
import type { StepText } from "@/lib/model";

/** The events that change what the run list shows (a run's status); step events only touch the run's own page. */
const RUN_LIST_EVENT_TYPES: readonly string[] = [EventType.runCreated, EventType.runStatus];

/** Socket.IO event names, payloads and room names, shared by server and browser. */

export const SocketEvent = {
  hello: "hello",
  events: "events",
  watch: "watch",
  pendingCount: "pending:count",
  stepText: "step:text",
  presenceJoin: "presence:join",
  presenceLeave: "presence:leave",
  presence: "presence",
  presenceSnapshot: "presence:snapshot",
} as const;

export const presencePayload = z.strictObject({ checkpointId: z.string().min(1).max(100) });
type PresencePayload = z.infer<typeof presencePayload>;

export type Viewer = { userId: string; name: string };
export type PresenceUpdate = { checkpointId: string; viewers: Viewer[] };
export type PresenceSnapshot = Record<string, Viewer[]>;
export type Hello = {
  lastEventId: number;
  user: { id: string; name: string } | null;
  /** Checkpoints waiting for a decision (people only; later changes come as `pending:count`). */
  pendingCount: number | null;
};

/**
 * What a tab shows, and so what it hears: the run list, the review queue, or
 * one run. A stream is a room; each batch on it has the stream's next `seq`,
 * so a missing batch is noticed and repaired by the catch-up.
 */
const liveStream = z
  .string()
  .max(120)
  .regex(/^(runs|queue|run:[A-Za-z0-9-]{1,100})$/);
export const watchPayload = z.array(liveStream).max(8);
export type LiveStream = "runs" | "queue" | `run:${string}`;
export const LiveStreams = {
  runs: "runs",
  queue: "queue",
  run: (runId: string): LiveStream => `run:${runId}`,
} as const;
/** Per stream: the seq of its last batch and the last event id sent on it. */
export type StreamPositions = Record<string, { seq: number; lastId: number }>;
export type LiveBatch = { stream: string; seq: number; events: LiveEvent[] };

export interface ServerToClientEvents {
  [SocketEvent.hello]: (hello: Hello) => void;
  [SocketEvent.events]: (batch: LiveBatch) => void;
  [SocketEvent.pendingCount]: (count: { pending: number }) => void;
  /** A model step's text so far, on its run's stream (not stored, not in the audit log). */
  [SocketEvent.stepText]: (update: StepText) => void;
  [SocketEvent.presence]: (update: PresenceUpdate) => void;
  [SocketEvent.presenceSnapshot]: (snapshot: PresenceSnapshot) => void;
}

/** Payloads arrive untrusted: the server parses them with `presencePayload` before use. */
export interface ClientToServerEvents {
  [SocketEvent.presenceJoin]: (payload: PresencePayload) => void;
  [SocketEvent.presenceLeave]: (payload: PresencePayload) => void;
  /** The streams this tab shows now (replaces the previous set); the ack gives each one's position. */
  [SocketEvent.watch]: (streams: string[], ack: (positions: StreamPositions) => void) => void;
}

/** One Node process: no events between servers. */
export type InterServerEvents = Record<string, never>;

/**
 * Every room the server puts sockets in. People choose their streams (`watch`)
 * among the first three; the server puts them in the rest.
 */
export const Rooms = {
  /** the run list: runs created and their status changes */
  runs: LiveStreams.runs,
  /** the review queue and history: every checkpoint event */
  queue: LiveStreams.queue,
  /** one run's page: all its events */
  run: LiveStreams.run,
  /** every signed-in person: the pending count in the nav */
  reviewers: "reviewers",
  /** who has a checkpoint open */
  checkpoint: (checkpointId: string) => `checkpoint:${checkpointId}`,
  /** all sockets of a user (dropped when the user is disabled) */
  user: (userId: string) => `user:${userId}`,
  /** all sockets of one session (dropped at logout); the id is the session's hash, never the cookie */
  session: (sessionId: string) => `session:${sessionId}`,
  /** API tokens with runs:read: the run events of every run, without their data */
  tokenRuns: "token-runs",
  /** all sockets of one API token (dropped when it is revoked); it hears the run events of the runs it started */
  token: (tokenId: string) => `token:${tokenId}`,
} as const;

/**
 * The rooms that hear an audit event. People: the run's own stream, the run
 * list for runs created and status changes, the queue for checkpoint events.
 * API tokens: only run events (never checkpoint events, which carry reviewers'
 * notes), sent as `tokenView` — to runs:read tokens, and to the token that
 * started the run.
 */
export function roomsForEvent(
  event: Pick<EventDto, "type" | "runId">,
  startedByToken: string | null,
): { people: string[]; tokens: string[] } {
  const people = [Rooms.run(event.runId)];
  if (CHECKPOINT_EVENT_TYPES.includes(event.type)) return { people: [...people, Rooms.queue], tokens: [] };
  if (RUN_LIST_EVENT_TYPES.includes(event.type)) people.push(Rooms.runs);
  return { people, tokens: startedByToken ? [Rooms.tokenRuns, Rooms.token(startedByToken)] : [Rooms.tokenRuns] };
}

/** What an API token's socket hears of an event: that it happened and the run, not its data (errors can quote reviewers). */
export function tokenView(event: LiveEvent): LiveEvent {
  return { ...event, data: null, checkpoint: null };
}
