import "server-only";
import type { WorkflowDefinition } from "./define";
import { contentPipeline } from "./workflows/content-pipeline";
import { supportReply } from "./workflows/support-reply";
import { testWorkflows } from "./workflows/test-workflows";

const SHIPPED = [contentPipeline, supportReply];

/** The registered workflows. Test-only ones (slow, failing) join only when asked for. */
export function registeredWorkflows(options: { includeTestWorkflows: boolean }): WorkflowDefinition[] {
  return options.includeTestWorkflows ? [...SHIPPED, ...testWorkflows] : SHIPPED;
}
