import { setTimeout as sleep } from "node:timers/promises";
import { clock, Session } from "./inbox-support";

export type Decision = { sent: number; answered: number; status: number };

/** Reviewers in the browser's shoes (session cookie and Origin), approving one checkpoint at a time in turn. */
export class Reviewers {
  readonly decisions = new Map<string, Decision>();
  private readonly inFlight = new Set<Promise<void>>();
  private turn = 0;

  private constructor(private readonly sessions: Session[]) {}

  static async signIn(admin: Session, count: number): Promise<Reviewers> {
    const sessions: Session[] = [];
    for (let i = 0; i < count; i++) {
      const email = `reviewer-${i}@bench.local`;
      const password = `reviewer-password-${i}`;
      const res = await admin.call("POST", "/api/users", { email, name: `Reviewer ${i}`, role: "reviewer", password });
      if (res.status !== 201) throw new Error(`could not create ${email}: ${res.status}`);
      sessions.push(await Session.signIn(admin.base, email, password));
    }
    return new Reviewers(sessions);
  }

  approve(id: string): void {
    const session = this.sessions[this.turn++ % this.sessions.length];
    const sent = clock();
    const decision = session
      .call("POST", `/api/checkpoints/${id}/resolve`, { action: "approve" })
      .then((res) => {
        this.decisions.set(id, { sent, answered: clock(), status: res.status });
        if (res.status !== 200) process.stderr.write(`a decision answered ${res.status}\n`);
      })
      .catch((err) => {
        this.decisions.set(id, { sent, answered: clock(), status: 0 });
        process.stderr.write(`a decision failed: ${String(err)}\n`);
      })
      .finally(() => this.inFlight.delete(decision));
    this.inFlight.add(decision);
  }

  /** A reviewer may read any decision too (wait=0: answers at once). */
  async poll(id: string): Promise<void> {
    const res = await this.sessions[0].call("GET", `/api/checkpoints/${id}/decision?wait=0`);
    if (res.status !== 200) throw new Error(`the decision of ${id} answered ${res.status}`);
  }

  /** Approves what `next` gives, `rate` a second on a fixed schedule (not after the previous answer), `count` times. */
  async approveAtRate(rate: number, count: number, next: () => string | undefined): Promise<number> {
    const startedAt = clock();
    let approved = 0;
    for (let i = 0; i < count; i++) {
      const wait = startedAt + (i * 1000) / rate - clock();
      if (wait > 0) await sleep(wait);
      const id = next();
      if (id === undefined) continue;
      this.approve(id);
      approved += 1;
    }
    await Promise.allSettled([...this.inFlight]);
    return approved;
  }

  /** The decision HTTP round trips of `ids` that were approved (200). */
  approvedOf(ids: Iterable<string>): Array<[string, Decision]> {
    const out: Array<[string, Decision]> = [];
    for (const id of ids) {
      const decision = this.decisions.get(id);
      if (decision?.status === 200) out.push([id, decision]);
    }
    return out;
  }
}
