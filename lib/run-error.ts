/**
 * Why a run failed, as stored on the run and shown on its page. One shape per
 * cause (client-safe: the run page reads it too).
 */
export type RunError =
  | { kind: "agent"; message: string; step: string; attempt: number }
  | { kind: "reject"; message: string; step: string; round: number }
  | { kind: "engine"; message: string };
