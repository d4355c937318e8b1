import "server-only";
import { z } from "zod";
import { INBOX_WORKFLOW } from "@/lib/inbox-workflow";
import { checkpoint, defineWorkflow } from "../define";

/**
 * Inbox checkpoints (SPEC §9) are runs of this built-in workflow: one
 * checkpoint and nothing else, so they share the queue, history, live updates,
 * timeouts and audit log of every other checkpoint. A reject is an answer like
 * any other: the run completes whatever the decision. It is created by
 * POST /api/checkpoints only, never started as a workflow.
 */
export { INBOX_WORKFLOW };
export const INBOX_STEP = "review";
export const INBOX_SHOW = "content";

export const inboxWorkflow = defineWorkflow({
  id: INBOX_WORKFLOW,
  name: "Inbox",
  description: "Checkpoints sent by other services through the inbox API.",
  input: z.object({ title: z.string() }),
  steps: [checkpoint(INBOX_STEP, { show: INBOX_SHOW, onReject: "continue" })],
  startable: false,
});
