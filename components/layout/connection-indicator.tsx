"use client";

import { useConnectionState } from "@/components/realtime/socket-provider";

const LOOK = {
  live: { text: "Live", dot: "bg-emerald-500" },
  connecting: { text: "Connecting…", dot: "bg-slate-400" },
  reconnecting: { text: "Reconnecting…", dot: "bg-amber-500 animate-pulse" },
} as const;

/** Whether live updates are flowing (the socket). */
export function ConnectionIndicator() {
  const state = useConnectionState();
  const look = LOOK[state];
  return (
    <span
      role="status"
      aria-label={`Connection: ${look.text}`}
      className="inline-flex items-center gap-1.5 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600"
      title={state === "live" ? "Updates arrive as they happen" : "Live updates are paused; they catch up on reconnect"}
    >
      <span aria-hidden="true" className={`size-2 rounded-full ${look.dot}`} />
      {look.text}
    </span>
  );
}
