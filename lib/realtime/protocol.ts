import { z } from "zod";

/** Socket.IO event names and payloads, shared by server and browser. */
export const SocketEvent = {
  hello: "hello",
  event: "event",
  presenceJoin: "presence:join",
  presenceLeave: "presence:leave",
  presence: "presence",
  presenceSnapshot: "presence:snapshot",
} as const;

export const Rooms = {
  runs: "runs",
  queue: "queue",
  run: (id: string) => `run:${id}`,
  checkpoint: (id: string) => `checkpoint:${id}`,
};

export const presencePayload = z.strictObject({ checkpointId: z.string().min(1).max(100) });

export type Viewer = { userId: string; name: string };
export type PresenceUpdate = { checkpointId: string; viewers: Viewer[] };
export type Hello = { lastEventId: number; user: { id: string; name: string } | null };
