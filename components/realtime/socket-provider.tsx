"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useMemo, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { api } from "@/lib/api/endpoints";
import type { StepText } from "@/lib/model";
import {
  type ClientToServerEvents,
  type LiveStream,
  type PresenceSnapshot,
  type ServerToClientEvents,
  SocketEvent,
  type Viewer,
} from "@/lib/realtime/protocol";
import { LiveClient } from "./live-client";
import { createRefetchScheduler } from "./refetch-scheduler";

type ConnectionState = "connecting" | "live" | "reconnecting";
type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type RealtimeContextValue = {
  state: ConnectionState;
  socket: RealtimeSocket | null;
  live: LiveClient | null;
  presence: PresenceSnapshot;
  pendingCount: number | null;
  /** The text so far of each watched run's streaming model step. */
  stepTexts: Record<string, StepText>;
};

const RealtimeContext = createContext<RealtimeContextValue | null>(null);

/**
 * One socket per tab. Events patch the react-query cache (LiveClient and
 * live-cache.ts); pages say which streams they show (`useLiveStream`), so a
 * tab hears only those. A missed batch or a reconnect is repaired with
 * GET /api/events?after=; refetches are coalesced and wait while the tab is hidden.
 */
export function SocketProvider({ children }: { children: React.ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<ConnectionState>("connecting");
  const [socket, setSocket] = useState<RealtimeSocket | null>(null);
  const [live, setLive] = useState<LiveClient | null>(null);
  const [presence, setPresence] = useState<PresenceSnapshot>({});
  const [pendingCount, setPendingCount] = useState<number | null>(null);
  const [stepTexts, setStepTexts] = useState<Record<string, StepText>>({});

  useEffect(() => {
    // WebSocket only: browsers send no Origin on same-origin GETs, so the long-polling
    // handshake would be refused by the server's Origin check; the WebSocket upgrade always carries it
    const s: RealtimeSocket = io({ withCredentials: true, transports: ["websocket"] });
    const visible = () => document.visibilityState !== "hidden";
    const scheduler = createRefetchScheduler(queryClient, { isVisible: visible });
    const onVisibility = () => visible() && scheduler.flushVisible();
    document.addEventListener("visibilitychange", onVisibility);
    const client = new LiveClient({
      queryClient,
      socket: s,
      eventsAfter: (afterId) => api.events.after(afterId),
      refetch: scheduler.schedule,
      onHello: () => setState("live"),
      onPendingCount: setPendingCount,
      onStepText: (update) => setStepTexts((current) => ({ ...current, [update.runId]: update })),
    });
    setSocket(s);
    setLive(client);

    s.on(SocketEvent.presenceSnapshot, (snapshot) => setPresence(snapshot));
    s.on(SocketEvent.presence, (update) =>
      setPresence((current) => {
        const next = { ...current };
        if (update.viewers.length === 0) delete next[update.checkpointId];
        else next[update.checkpointId] = update.viewers;
        return next;
      }),
    );
    s.on("disconnect", () => setState("reconnecting"));
    s.on("connect_error", () => setState("reconnecting"));
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      scheduler.dispose();
      s.disconnect();
      setSocket(null);
      setLive(null);
    };
  }, [queryClient]);

  const value = useMemo(
    () => ({ state, socket, live, presence, pendingCount, stepTexts }),
    [state, socket, live, presence, pendingCount, stepTexts],
  );
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

function useRealtime(): RealtimeContextValue {
  const value = useContext(RealtimeContext);
  if (!value) throw new Error("useRealtime needs <SocketProvider>");
  return value;
}

/** "live" | "connecting" | "reconnecting", for a status dot in the nav. */
export function useConnectionState(): ConnectionState {
  return useRealtime().state;
}

/** This page shows `stream` (the run list, the queue, one run): the tab hears its events while mounted. */
export function useLiveStream(stream: LiveStream | null): void {
  const { live } = useRealtime();
  useEffect(() => (live && stream ? live.watch(stream) : undefined), [live, stream]);
}

/** The text a model is writing for `runId` right now (the run's stream must be watched), if any. */
export function useStepText(runId: string | undefined): StepText | undefined {
  const { stepTexts } = useRealtime();
  return runId ? stepTexts[runId] : undefined;
}

/** Checkpoints waiting for a decision, kept live by the server (null until the socket has said). */
export function usePendingCount(): number | null {
  return useRealtime().pendingCount;
}

/** Who is looking at each checkpoint (for the queue). */
export function usePresenceMap(): PresenceSnapshot {
  return useRealtime().presence;
}

/** Announces that this user has `checkpointId` open; returns everyone who has it open. */
export function useCheckpointPresence(checkpointId: string | undefined): Viewer[] {
  const { socket, presence, state } = useRealtime();
  useEffect(() => {
    if (!socket || !checkpointId || state !== "live") return;
    socket.emit(SocketEvent.presenceJoin, { checkpointId });
    return () => {
      socket.emit(SocketEvent.presenceLeave, { checkpointId });
    };
  }, [socket, checkpointId, state]);
  return checkpointId ? (presence[checkpointId] ?? []) : [];
}
