import { randomUUID } from "node:crypto";
import type { CheckpointStep, WorkflowDefinition } from "@/lib/engine/define";
import { contentPipeline } from "@/lib/engine/workflows/content-pipeline";
import { inboxWorkflow } from "@/lib/engine/workflows/inbox";
import { supportReply } from "@/lib/engine/workflows/support-reply";
import { EventType } from "@/lib/events";
import { OFFLINE_MODEL } from "@/lib/model";
import { Role } from "@/lib/roles";
import { CheckpointStatus, type RunStatus, RunStatus as Runs } from "@/lib/status";
import {
  articleText,
  audience,
  editOf,
  INBOX_SOURCES,
  inboxItem,
  noteText,
  personName,
  type Random,
  replyText,
  TICKET_ISSUES,
  TOPICS,
} from "./seed-text";

/**
 * The history the seed writes, as a simulation in time order: runs of the
 * shipped workflows start over the past year, each stops at its checkpoints,
 * reviewers decide after a realistic delay, and every checkpoint reaches the
 * writer in created_at order (a heap of the runs' next checkpoint times), so
 * rowid order is created_at order, as in a live database.
 */

/**
 * A UUIDv7 (RFC 9562) for a row made at `at`: 48 bits of epoch milliseconds, then
 * random bits. Rows arrive in time order, so their ids append to the primary-key
 * and (run_id, …) indexes instead of landing on random pages of a large b-tree.
 */
export function timeOrderedId(at: number): string {
  const time = at.toString(16).padStart(12, "0");
  // randomUUID(): xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx; keep its random tail and variant
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}`;
}

/** Seeded runs' ids start with this: a database with other runs is refused without --force. */
export const SEED_RUN_PREFIX = "seed-";

export type Reviewer = { id: string; name: string };
type Plan = { workflow: WorkflowDefinition; checkpoints: { step: CheckpointStep; index: number }[] };

const planOf = (workflow: WorkflowDefinition): Plan => ({
  workflow,
  checkpoints: workflow.steps.flatMap((step, index) => (step.kind === "checkpoint" ? [{ step, index }] : [])),
});
const PIPELINE = planOf(contentPipeline);
const SUPPORT = planOf(supportReply);
const INBOX = planOf(inboxWorkflow);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

export type CheckpointRow = {
  id: string;
  runId: string;
  workflowId: string;
  stepIndex: number;
  stepName: string;
  round: number;
  showKey: string;
  contentType: string;
  content: string;
  model: string | null;
  title: string | null;
  source: string | null;
  metadata: string | null;
  dueAt: number | null;
  onTimeout: string | null;
  assigneeRole: string | null;
  status: string;
  editedContent: string | null;
  notes: string | null;
  reviewerId: string | null;
  reviewerName: string | null;
  createdAt: number;
  resolvedAt: number | null;
};
export type EventRow = {
  type: string;
  runId: string;
  checkpointId: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  actorType: string;
  actorId: string | null;
  actorName: string;
  data: string | null;
  createdAt: number;
};
export type RunRow = {
  id: string;
  workflowId: string;
  status: RunStatus;
  input: string;
  position: number;
  round: number;
  error: string | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
};
export type Sink = {
  checkpoint(row: CheckpointRow): void;
  run(row: RunRow, events: EventRow[]): void;
};

type Active = {
  plan: Plan;
  run: RunRow;
  events: EventRow[];
  next: number;
  round: number;
  at: number;
  context: { topic: string; customer: string; issue: string; source: string };
  starter: { type: string; id: string | null; name: string };
};

/** A min-heap of active runs by the time their next checkpoint appears. */
class RunHeap {
  private items: Active[] = [];
  get size() {
    return this.items.length;
  }
  peek(): Active | undefined {
    return this.items[0];
  }
  push(item: Active) {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent].at <= a[i].at) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }
  pop(): Active | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l].at < a[m].at) m = l;
        if (r < a.length && a[r].at < a[m].at) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/** A standard normal sample (Box–Muller). */
const gauss = (r: Random) => Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());

/** How long a checkpoint waits for its decision: minutes usually, days now and then. */
function decisionDelay(r: Random): number {
  if (r.next() < 0.015) return Math.round(DAY + r.next() * 30 * DAY);
  return Math.round(Math.min(Math.max(Math.exp(Math.log(18 * MINUTE) + 1.4 * gauss(r)), 4_000), 6 * DAY));
}

export function simulate(
  r: Random,
  options: { checkpoints: number; now: number; reviewers: Reviewer[]; sink: Sink },
): { runs: number; checkpoints: number; events: number } {
  const { now, reviewers, sink } = options;
  const start = now - YEAR;
  // about 1.5 checkpoints per run with this mix; the gap between starts follows what is left to write
  // in the time left, so the history ends near `now` with exactly `checkpoints` rows
  const gapFrom = (t: number) => ((now - t) * 1.5) / Math.max(options.checkpoints - written - heap.size, 1);
  const heap = new RunHeap();
  let written = 0;
  let lastCreatedAt = start;
  let nextStart = start + r.next() * gapFrom(start);
  let runs = 0;
  let events = 0;
  let serial = 0;

  const finish = (a: Active, status: RunStatus, at: number, error?: object) => {
    a.run.status = status;
    a.run.updatedAt = at;
    a.run.finishedAt = status === Runs.awaitingCheckpoint ? null : at;
    a.run.error = error ? JSON.stringify(error) : null;
    if (status !== Runs.awaitingCheckpoint) {
      a.events.push(event(a, EventType.runStatus, null, Runs.awaitingCheckpoint, status, at, a.starter));
    }
    sink.run(a.run, a.events);
    runs += 1;
    events += a.events.length;
  };

  const startRun = (startAt: number, onlyInbox = false) => {
    // epoch milliseconds are integers (rounding keeps the time order)
    const at = Math.round(startAt);
    const roll = onlyInbox ? 1 : r.next();
    const plan = roll < 0.15 ? PIPELINE : roll < 0.55 ? SUPPORT : INBOX;
    const source = plan === INBOX ? r.skewed(INBOX_SOURCES) : "";
    const reviewer = r.skewed(reviewers);
    const starter =
      plan === INBOX
        ? { type: "token", id: null, name: `${source.split(":").at(-1)}-agent` }
        : { type: "user", id: reviewer.id, name: reviewer.name };
    const context = { topic: r.pick(TOPICS), customer: personName(r), issue: r.pick(TICKET_ISSUES), source };
    const input =
      plan === PIPELINE
        ? { topic: context.topic, audience: audience(r) }
        : plan === SUPPORT
          ? { customer: context.customer, message: `Hello, I have a problem with ${context.issue}. Can you help?` }
          : { title: "" };
    const run: RunRow = {
      id: SEED_RUN_PREFIX + timeOrderedId(at),
      workflowId: plan.workflow.id,
      status: Runs.running,
      input: JSON.stringify(input),
      position: 0,
      round: 0,
      error: null,
      createdBy: starter.name,
      createdAt: at,
      updatedAt: at,
      finishedAt: null,
    };
    const active: Active = { plan, run, events: [], next: 0, round: 0, at, context, starter };
    active.events.push(event(active, EventType.runCreated, null, null, Runs.pending, at, starter));
    // agents write before the first checkpoint (an inbox checkpoint exists at once)
    active.at = plan === INBOX ? at : Math.round(at + MINUTE + r.next() * 10 * MINUTE);
    heap.push(active);
  };

  while (written < options.checkpoints) {
    const top = heap.peek();
    if (nextStart < now && (!top || nextStart <= top.at)) {
      startRun(nextStart);
      nextStart += -Math.log(1 - r.next()) * gapFrom(nextStart);
      continue;
    }
    const a = heap.pop();
    if (!a) {
      // the arrivals ran out a few rows short: inbox checkpoints arriving now fill the rest, in order
      startRun(lastCreatedAt + (now - lastCreatedAt) * r.next(), true);
      continue;
    }
    // its agent is still writing now: the seed does not leave runs for the engine to resume
    if (a.at > now) {
      finish(a, Runs.cancelled, now);
      continue;
    }
    serial += 1;
    written += 1;
    const outcome = checkpointOf(r, a, serial, { now, reviewers });
    sink.checkpoint(outcome.row);
    lastCreatedAt = a.at;
    a.events.push(...outcome.events);
    a.run.position = outcome.row.stepIndex;
    a.run.round = a.round;
    const after = nextOf(r, a, outcome.row);
    if (after.status) finish(a, after.status, after.at, after.error);
    else heap.push(a);
  }
  // the history is full: runs still going are cancelled where they are
  for (let a = heap.pop(); a; a = heap.pop()) finish(a, Runs.cancelled, Math.min(a.at, now));
  return { runs, checkpoints: written, events };
}

function event(
  a: Active,
  type: string,
  checkpointId: string | null,
  from: string | null,
  to: string | null,
  at: number,
  actor: { type: string; id: string | null; name: string },
  data?: object,
): EventRow {
  return {
    type,
    runId: a.run.id,
    checkpointId,
    fromStatus: from,
    toStatus: to,
    actorType: actor.type,
    actorId: actor.id,
    actorName: actor.name,
    data: data ? JSON.stringify(data) : null,
    createdAt: at,
  };
}

const DECIDED = {
  approve: CheckpointStatus.approved,
  edit: CheckpointStatus.edited,
  reject: CheckpointStatus.rejected,
};

/** One checkpoint of a run and its decision (or none yet): the row and its audit events. */
function checkpointOf(r: Random, a: Active, serial: number, env: { now: number; reviewers: Reviewer[] }) {
  const { step, index } = a.plan.checkpoints[a.next];
  const createdAt = a.at;
  const isInbox = a.plan === INBOX;
  const item = isInbox ? inboxItem(r, a.context.source, serial) : null;
  const content = item
    ? item.content
    : a.plan === PIPELINE
      ? articleText(r, step.name, a.context.topic, a.round)
      : replyText(r, a.context.customer, a.context.issue);
  const contentType = item?.contentType ?? (a.plan === PIPELINE ? "markdown" : "text");
  if (item) a.run.input = JSON.stringify({ title: item.title });
  const hasDue = isInbox && r.next() < 0.3;
  const dueAt = hasDue ? createdAt + r.pick([HOUR, 4 * HOUR, DAY]) : null;
  const onTimeout = hasDue ? r.pick(["approve", "reject"]) : null;
  // the last two weeks have a backlog: a quarter of their checkpoints wait longer than until now
  const backlog = createdAt > env.now - 14 * DAY && r.next() < 0.25 ? 30 * DAY : 0;
  const wouldDecideAt = createdAt + decisionDelay(r) + backlog;
  const reviewer = r.skewed(env.reviewers);
  const row: CheckpointRow = {
    id: timeOrderedId(createdAt),
    runId: a.run.id,
    workflowId: a.plan.workflow.id,
    stepIndex: index,
    stepName: step.name,
    round: a.round,
    showKey: step.show,
    contentType,
    content,
    model: isInbox ? null : OFFLINE_MODEL,
    title: item?.title ?? null,
    source: item ? a.context.source : null,
    metadata: item ? JSON.stringify(item.metadata) : null,
    dueAt,
    onTimeout,
    assigneeRole: isInbox && r.next() < 0.1 ? Role.admin : null,
    status: CheckpointStatus.pending,
    editedContent: null,
    notes: null,
    reviewerId: null,
    reviewerName: null,
    createdAt,
    resolvedAt: null,
  };
  const created = event(a, EventType.checkpointCreated, row.id, null, CheckpointStatus.pending, createdAt, a.starter, {
    step: step.name,
    round: a.round,
    ...(row.title ? { title: row.title } : {}),
  });
  const events = [created];
  const systemActor = { type: "system", id: null, name: "system" };
  if (dueAt !== null && dueAt < wouldDecideAt) {
    if (dueAt > env.now) return { row, events };
    Object.assign(row, { status: CheckpointStatus.expired, reviewerName: systemActor.name, resolvedAt: dueAt });
    events.push(
      event(a, EventType.checkpointExpired, row.id, CheckpointStatus.pending, row.status, dueAt, systemActor, {
        step: step.name,
        round: a.round,
        onTimeout,
      }),
    );
    return { row, events };
  }
  if (wouldDecideAt > env.now) return { row, events };
  const roll = r.next();
  if (roll < 0.035) {
    Object.assign(row, { status: CheckpointStatus.cancelled, reviewerName: a.starter.name, resolvedAt: wouldDecideAt });
    events.push(
      event(a, EventType.checkpointClosed, row.id, CheckpointStatus.pending, row.status, wouldDecideAt, a.starter),
    );
    return { row, events };
  }
  const action = roll < 0.66 ? "approve" : roll < 0.88 ? "edit" : "reject";
  const notes = action === "reject" || r.next() < (action === "edit" ? 0.7 : 0.15) ? noteText(r) : null;
  Object.assign(row, {
    status: DECIDED[action],
    editedContent: action === "edit" ? editOf(r, content, contentType) : null,
    notes,
    reviewerId: reviewer.id,
    reviewerName: reviewer.name,
    resolvedAt: wouldDecideAt,
  });
  const actor = { type: "user", id: reviewer.id, name: reviewer.name };
  events.push(
    event(a, EventType.checkpointDecided, row.id, CheckpointStatus.pending, row.status, wouldDecideAt, actor, {
      action,
      step: step.name,
      round: a.round,
      notes: notes ?? undefined,
    }),
  );
  return { row, events };
}

/** After a checkpoint: the run's next checkpoint (returns no status), or how and when it ends. */
function nextOf(r: Random, a: Active, row: CheckpointRow): { status?: RunStatus; at: number; error?: object } {
  const { step } = a.plan.checkpoints[a.next];
  const at = row.resolvedAt ?? row.createdAt;
  if (row.status === CheckpointStatus.pending) return { status: Runs.awaitingCheckpoint, at };
  if (row.status === CheckpointStatus.cancelled) return { status: Runs.cancelled, at };
  const rejected =
    row.status === CheckpointStatus.rejected || (row.status === CheckpointStatus.expired && row.onTimeout === "reject");
  const agentTime = Math.round(MINUTE + r.next() * 8 * MINUTE);
  if (rejected && step.onReject === "retry" && a.round + 1 < step.maxRounds) {
    a.round += 1;
    a.at = at + agentTime;
    return { at };
  }
  if (rejected && step.onReject !== "continue") {
    const message = row.notes ?? "Rejected by the reviewer";
    return { status: Runs.failed, at, error: { kind: "reject", message, step: step.name, round: a.round } };
  }
  if (a.next + 1 >= a.plan.checkpoints.length) return { status: Runs.completed, at: at + 2_000 };
  a.next += 1;
  a.round = 0;
  a.at = at + agentTime;
  return { at };
}
