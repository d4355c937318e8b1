"use client";

import { useSyncExternalStore } from "react";
import { formatDateTime, timeAgo } from "@/lib/format";

const TICK_MS = 5000;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => {
    for (const l of listeners) l();
  }, TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** One shared ticker for every relative time on the page (0 while rendering on the server). */
export function useNow(): number {
  return useSyncExternalStore(
    subscribe,
    () => Math.floor(Date.now() / TICK_MS) * TICK_MS,
    () => 0,
  );
}

/** "3 min ago", ticking; the exact time in the tooltip. */
export function TimeAgo({ date, className = "" }: { date: string; className?: string }) {
  const now = useNow();
  return (
    <time dateTime={date} title={formatDateTime(date)} className={className} suppressHydrationWarning>
      {now === 0 ? formatDateTime(date) : timeAgo(date, Math.max(now, Date.parse(date)))}
    </time>
  );
}
