import "server-only";

/**
 * What route handlers may ask of the delivery worker: to look for work now
 * (a redelivery was queued). Found through a global slot because route
 * handlers are bundled apart from server.ts.
 */
type DeliveryWaker = { notify(): void };

const SLOT = Symbol.for("gatehouse.deliveries");
type Slot = { [SLOT]?: DeliveryWaker };

export function setDeliveryWorker(worker: DeliveryWaker | undefined): void {
  (globalThis as Slot)[SLOT] = worker;
}

/** Wakes the worker, if this process runs one (it does whenever server.ts serves). */
export function wakeDeliveryWorker(): void {
  (globalThis as Slot)[SLOT]?.notify();
}
