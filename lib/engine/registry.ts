import "server-only";
import type { WorkflowDefinition } from "./define";
import { contentPipeline } from "./workflows/content-pipeline";
import { inboxWorkflow } from "./workflows/inbox";
import { supportReply } from "./workflows/support-reply";
import { testWorkflows } from "./workflows/test-workflows";

// the inbox workflow is always there: POST /api/checkpoints creates its runs
const SHIPPED = [contentPipeline, supportReply, inboxWorkflow];

/** The registered workflows. Test-only ones (slow, failing) join only when asked for. */
export function registeredWorkflows(options: { includeTestWorkflows: boolean }): WorkflowDefinition[] {
  return options.includeTestWorkflows ? [...SHIPPED, ...testWorkflows] : SHIPPED;
}
