"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { api } from "@/lib/api/endpoints";
import type { EventDto } from "@/lib/api/types";
import {
  type ClientToServerEvents,
  type PresenceSnapshot,
  type ServerToClientEvents,
  SocketEvent,
  type Viewer,
} from "@/lib/realtime/protocol";
import { invalidateForEvent } from "./invalidate";

type ConnectionState = "connecting" | "live" | "reconnecting";
type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type RealtimeContextValue = {
  state: ConnectionState;
  socket: RealtimeSocket | null;
  presence: PresenceSnapshot;
};

const RealtimeContext = createContext<RealtimeContextValue | null>(null);
const SEEN_LIMIT = 5000;

/**
 * One socket per tab. Events invalidate the react-query cache (pages still fetch
 * over HTTP); on every reconnect the client catches up with
 * GET /api/events?after=<last id seen>, and de-duplicates by event id.
 */
export function SocketProvider({ children }: { children: React.ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<ConnectionState>("connecting");
  const [socket, setSocket] = useState<RealtimeSocket | null>(null);
  const [presence, setPresence] = useState<PresenceSnapshot>({});
  const lastId = useRef<number | null>(null);
  const seen = useRef(new Set<number>());

  const apply = useCallback(
    (event: EventDto) => {
      if (seen.current.has(event.id)) return;
      seen.current.add(event.id);
      if (seen.current.size > SEEN_LIMIT) {
        const oldest = seen.current.values().next().value;
        if (oldest !== undefined) seen.current.delete(oldest);
      }
      lastId.current = Math.max(lastId.current ?? 0, event.id);
      invalidateForEvent(queryClient, event);
    },
    [queryClient],
  );

  useEffect(() => {
    // WebSocket only: browsers send no Origin on same-origin GETs, so the long-polling
    // handshake would be refused by the server's Origin check; the WebSocket upgrade always carries it
    const s: RealtimeSocket = io({ withCredentials: true, transports: ["websocket"] });
    setSocket(s);

    const catchUp = async (serverLastId: number) => {
      if (lastId.current === null) {
        // first connection: pages just fetched fresh data, start from here
        lastId.current = serverLastId;
        return;
      }
      for (;;) {
        const page = await api.events.after(lastId.current);
        for (const event of page.items) apply(event);
        if (!page.hasMore) break;
      }
    };

    s.on(SocketEvent.hello, (hello) => {
      setState("live");
      catchUp(hello.lastEventId).catch(() => {
        // the socket stays up; a missed event is repaired by the pages' next fetch
        queryClient.invalidateQueries();
      });
    });
    s.on(SocketEvent.event, apply);
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
      s.disconnect();
      setSocket(null);
    };
  }, [apply, queryClient]);

  const value = useMemo(() => ({ state, socket, presence }), [state, socket, presence]);
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
