/** What the app says about model agents on both sides (client-safe). */

/** Tokens a model step took, as the model server reported them. */
export type ModelUsage = { inputTokens: number; outputTokens: number };

/** The model name recorded when no model server is configured: the built-in offline writer. */
export const OFFLINE_MODEL = "offline-demo";

/** A model step's text so far, while it streams (not stored: the final output is). */
export type StepText = { runId: string; step: string; round: number; text: string; model: string; done: boolean };
