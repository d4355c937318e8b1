import "server-only";
import type { Logger } from "@/lib/logger";

// setTimeout cannot wait longer than this (about 24.8 days): a later due date re-arms on the way
const MAX_WAIT_MS = 2 ** 31 - 1;

/**
 * Wakes the engine when the next checkpoint falls due (SPEC §10). The due
 * dates are in the database: at start it arms for the earliest one (so what
 * fell due while the server was down expires at once), and every new due date
 * re-arms it if it is sooner. Expiring is the engine's unit of work, once per
 * checkpoint (a conditional update), so a spurious wake-up does nothing.
 */
export class ExpiryTimer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armedFor = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly expireDue: () => Promise<unknown>,
    private readonly nextDueAt: () => number | undefined,
    private readonly log: Logger,
  ) {}

  start(): void {
    const next = this.nextDueAt();
    if (next !== undefined) this.arm(next);
  }

  /** A checkpoint with this due date was just opened. */
  consider(dueAt: number): void {
    if (dueAt < this.armedFor) this.arm(dueAt);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private arm(dueAt: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.armedFor = dueAt;
    this.timer = setTimeout(() => void this.fire(), Math.min(MAX_WAIT_MS, Math.max(0, dueAt - Date.now())));
    this.timer.unref();
  }

  private async fire(): Promise<void> {
    this.armedFor = Number.POSITIVE_INFINITY;
    try {
      await this.expireDue();
    } catch (err) {
      this.log.error({ err }, "expiring due checkpoints failed; trying again with the next due date");
    }
    const next = this.nextDueAt();
    // still due after a pass (one failed): try again in a second rather than spin
    if (next !== undefined) this.arm(next <= Date.now() ? Date.now() + 1000 : next);
  }
}
