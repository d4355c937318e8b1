import type { ClientPool } from "./inbox-pool";
import type { CallbackReceiver } from "./inbox-receiver";
import type { Reviewers } from "./inbox-reviewers";
import type { BenchServer, Session } from "./inbox-support";

/** The inbox suite's settings (its command-line options, parsed in inbox.ts). */
export type Options = {
  clients: number;
  creates: number;
  longPolls: number;
  rate: number;
  longPollSeconds: number;
  webhooks: number;
  downCount: number;
  receiverDownSeconds: number;
  deliverWaitSeconds: number;
};

/** What every inbox scenario runs against: one server, its API clients, reviewers and callback receiver. */
export type Bench = {
  server: BenchServer;
  pool: ClientPool;
  reviewers: Reviewers;
  receiver: CallbackReceiver;
  admin: Session;
  /** Which client token created each checkpoint (the receiver verifies callbacks with its signing secret). */
  creators: Map<string, number>;
};
