import { z } from "zod";
import type { EventDto } from "@/lib/api/types";
import { CHECKPOINT_EVENT_TYPES } from "@/lib/events";

/** Socket.IO event names, payloads and room names, shared by server and browser. */

export const SocketEvent = {
  hello: "hello",
  event: "event",
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
export type Hello = { lastEventId: number; user: { id: string; name: string } | null };

export interface ServerToClientEvents {
  [SocketEvent.hello]: (hello: Hello) => void;
  [SocketEvent.event]: (event: EventDto) => void;
  [SocketEvent.presence]: (update: PresenceUpdate) => void;
  [SocketEvent.presenceSnapshot]: (snapshot: PresenceSnapshot) => void;
}

/** Payloads arrive untrusted: the server parses them with `presencePayload` before use. */
export interface ClientToServerEvents {
  [SocketEvent.presenceJoin]: (payload: PresencePayload) => void;
  [SocketEvent.presenceLeave]: (payload: PresencePayload) => void;
}

/** One Node process: no events between servers. */
export type InterServerEvents = Record<string, never>;

/** Every room the server puts sockets in. The server decides the rooms; clients never name one. */
export const Rooms = {
  /** signed-in people: every run event (the run list) */
  runs: "runs",
  /** signed-in people: the review queue and presence */
  queue: "queue",
  run: (runId: string) => `run:${runId}`,
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
 * The rooms that hear an audit event. People: the run list, the run, and for
 * checkpoint events the queue. API tokens: only run events (never checkpoint
 * events, which carry reviewers' notes), sent as `tokenView` — to runs:read
 * tokens, and to the token that started the run.
 */
export function roomsForEvent(
  event: Pick<EventDto, "type" | "runId">,
  startedByToken: string | null,
): { people: string[]; tokens: string[] } {
  const people = [Rooms.runs, Rooms.run(event.runId)];
  if (CHECKPOINT_EVENT_TYPES.includes(event.type)) return { people: [...people, Rooms.queue], tokens: [] };
  return { people, tokens: startedByToken ? [Rooms.tokenRuns, Rooms.token(startedByToken)] : [Rooms.tokenRuns] };
}

/** What an API token's socket hears of an event: that it happened, not its data (errors can quote reviewers). */
export function tokenView(event: EventDto): EventDto {
  return { ...event, data: null };
}
