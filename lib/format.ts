import { OFFLINE_MODEL } from "@/lib/model";

/** Display helpers shared by the pages (client-safe, no dependencies). */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "42 s ago", "3 min ago", "5 h ago", "2 d ago". */
export function timeAgo(iso: string, now: number): string {
  const elapsed = Math.max(0, now - Date.parse(iso));
  if (elapsed < 10 * SECOND) return "just now";
  if (elapsed < MINUTE) return `${Math.floor(elapsed / SECOND)} s ago`;
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  return `${Math.floor(elapsed / DAY)} d ago`;
}

const clock = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});
const dateTime = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "10:42:03" (local time). */
export function clockTime(iso: string): string {
  return clock.format(new Date(iso));
}

/** "26 Nov 2025, 10:42" (local time). */
export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

/** "85 ms", "1.2 s", "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  if (ms < MINUTE) return `${(ms / SECOND).toFixed(1)} s`;
  const minutes = Math.floor(ms / MINUTE);
  const seconds = Math.round((ms % MINUTE) / SECOND);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/** The first 8 characters of an id, for links and labels. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** "topic" → "Topic", "sleepMs" → "Sleep ms", "max_words" → "Max words". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Pretty JSON when the text parses, else the text unchanged. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** "Alice is reviewing", "Alice and Bob are reviewing", "Alice, Bob and Carol are reviewing". */
export function reviewingText(names: string[]): string {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is reviewing`;
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)} are reviewing`;
}

/** How the UI names a model: the built-in offline writer is said to be one. */
export function modelLabel(model: string): string {
  return model === OFFLINE_MODEL ? "offline demo model" : model;
}

/** "1,204 in · 388 out", the tokens a model used. */
export function formatTokens(input: number, output: number): string {
  return `${input.toLocaleString("en")} in · ${output.toLocaleString("en")} out`;
}

/** A checkpoint with a due date is "due soon" within this of it (SPEC §10). */
export const DUE_SOON_MS = 10 * MINUTE;

/** "42 s", "8 min", "5 h", "2 d": a span, rounded down to its largest unit. */
function spanText(ms: number): string {
  if (ms < MINUTE) return `${Math.max(1, Math.floor(ms / SECOND))} s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h`;
  return `${Math.floor(ms / DAY)} d`;
}

export type DueUrgency = "overdue" | "soon" | "later";

/**
 * How a due date reads at `now`: "Due in 2 h"; within DUE_SOON_MS "Due soon, in 8 min";
 * past it "Overdue by 3 min". The urgency word is in the text, so colour is never the only mark.
 */
export function dueStatus(dueAt: string, now: number): { urgency: DueUrgency; text: string } {
  const left = Date.parse(dueAt) - now;
  if (left <= 0) return { urgency: "overdue", text: `Overdue by ${spanText(-left)}` };
  if (left <= DUE_SOON_MS) return { urgency: "soon", text: `Due soon, in ${spanText(left)}` };
  return { urgency: "later", text: `Due in ${spanText(left)}` };
}
