/**
 * The one place statuses exist. Server (engine, route handlers, sockets) and
 * React pages all import from here; no other file spells a status.
 */

export const RunStatus = {
  pending: "pending",
  running: "running",
  awaitingCheckpoint: "awaiting_checkpoint",
  completed: "completed",
  failed: "failed",
  cancelled: "cancelled",
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];
export const RUN_STATUSES = Object.values(RunStatus) as [RunStatus, ...RunStatus[]];

const RUN_TRANSITIONS: Record<RunStatus, readonly RunStatus[]> = {
  pending: [RunStatus.running, RunStatus.cancelled],
  running: [RunStatus.awaitingCheckpoint, RunStatus.completed, RunStatus.failed, RunStatus.cancelled],
  awaiting_checkpoint: [RunStatus.running, RunStatus.failed, RunStatus.cancelled],
  failed: [RunStatus.running],
  completed: [],
  cancelled: [],
};

export function canTransitionRun(from: RunStatus, to: RunStatus): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

export function isTerminalRunStatus(status: RunStatus): boolean {
  return RUN_TRANSITIONS[status].length === 0;
}

/** Runs the engine owns and should drive after a restart. */
export const RESUMABLE_RUN_STATUSES: readonly RunStatus[] = [RunStatus.pending, RunStatus.running];
/** Runs a reviewer may still cancel. */
export const CANCELLABLE_RUN_STATUSES: readonly RunStatus[] = RUN_STATUSES.filter((s) =>
  canTransitionRun(s, RunStatus.cancelled),
);

export const CheckpointStatus = {
  pending: "pending",
  approved: "approved",
  edited: "edited",
  rejected: "rejected",
  expired: "expired",
  cancelled: "cancelled",
} as const;
export type CheckpointStatus = (typeof CheckpointStatus)[keyof typeof CheckpointStatus];
export const CHECKPOINT_STATUSES = Object.values(CheckpointStatus) as [CheckpointStatus, ...CheckpointStatus[]];

const CHECKPOINT_TRANSITIONS: Record<CheckpointStatus, readonly CheckpointStatus[]> = {
  pending: [
    CheckpointStatus.approved,
    CheckpointStatus.edited,
    CheckpointStatus.rejected,
    CheckpointStatus.expired,
    CheckpointStatus.cancelled,
  ],
  approved: [],
  edited: [],
  rejected: [],
  expired: [],
  cancelled: [],
};

export function canTransitionCheckpoint(from: CheckpointStatus, to: CheckpointStatus): boolean {
  return CHECKPOINT_TRANSITIONS[from].includes(to);
}

/** What a reviewer can do at a checkpoint, and the status each decision leads to. */
export const CheckpointAction = { approve: "approve", edit: "edit", reject: "reject" } as const;
export type CheckpointAction = (typeof CheckpointAction)[keyof typeof CheckpointAction];
export const CHECKPOINT_ACTIONS = Object.values(CheckpointAction) as [CheckpointAction, ...CheckpointAction[]];
export const STATUS_FOR_ACTION: Record<CheckpointAction, CheckpointStatus> = {
  approve: CheckpointStatus.approved,
  edit: CheckpointStatus.edited,
  reject: CheckpointStatus.rejected,
};

/** A notification's state: waiting to be sent (again), sent, or given up after its last attempt. */
export const DeliveryStatus = { pending: "pending", delivered: "delivered", failed: "failed" } as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];
export const DELIVERY_STATUSES = Object.values(DeliveryStatus) as [DeliveryStatus, ...DeliveryStatus[]];

/** Outcome of one recorded step attempt. */
export const StepStatus = { completed: "completed", failed: "failed" } as const;
export type StepStatus = (typeof StepStatus)[keyof typeof StepStatus];
export const STEP_STATUSES = Object.values(StepStatus) as [StepStatus, ...StepStatus[]];

type Badge = { label: string; className: string };

export const RUN_STATUS_BADGE: Record<RunStatus, Badge> = {
  pending: { label: "Queued", className: "bg-slate-100 text-slate-700 ring-slate-300" },
  running: { label: "Running", className: "bg-blue-50 text-blue-700 ring-blue-300" },
  awaiting_checkpoint: { label: "Awaiting review", className: "bg-amber-50 text-amber-800 ring-amber-300" },
  completed: { label: "Completed", className: "bg-emerald-50 text-emerald-700 ring-emerald-300" },
  failed: { label: "Failed", className: "bg-red-50 text-red-700 ring-red-300" },
  cancelled: { label: "Cancelled", className: "bg-zinc-100 text-zinc-600 ring-zinc-300" },
};

export const CHECKPOINT_STATUS_BADGE: Record<CheckpointStatus, Badge> = {
  pending: { label: "Pending", className: "bg-amber-50 text-amber-800 ring-amber-300" },
  approved: { label: "Approved", className: "bg-emerald-50 text-emerald-700 ring-emerald-300" },
  edited: { label: "Edited", className: "bg-indigo-50 text-indigo-700 ring-indigo-300" },
  rejected: { label: "Rejected", className: "bg-red-50 text-red-700 ring-red-300" },
  expired: { label: "Expired", className: "bg-zinc-100 text-zinc-600 ring-zinc-300" },
  cancelled: { label: "Cancelled", className: "bg-zinc-100 text-zinc-600 ring-zinc-300" },
};

export const DELIVERY_STATUS_BADGE: Record<DeliveryStatus, Badge> = {
  pending: { label: "Pending", className: "bg-amber-50 text-amber-800 ring-amber-300" },
  delivered: { label: "Delivered", className: "bg-emerald-50 text-emerald-700 ring-emerald-300" },
  failed: { label: "Failed", className: "bg-red-50 text-red-700 ring-red-300" },
};

export const STEP_STATUS_BADGE: Record<StepStatus, Badge> = {
  completed: { label: "Completed", className: "bg-emerald-50 text-emerald-700 ring-emerald-300" },
  failed: { label: "Failed", className: "bg-red-50 text-red-700 ring-red-300" },
};
