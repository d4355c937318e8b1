import "server-only";
import type { WorkflowDefinition } from "./define";
import { contentPipeline } from "./workflows/content-pipeline";
import { testWorkflows } from "./workflows/test-workflows";

/** The registered workflows. Test-only ones (slow, failing) join only when asked for. */
export function registeredWorkflows(options: { includeTestWorkflows: boolean }): WorkflowDefinition[] {
  return options.includeTestWorkflows ? [contentPipeline, ...testWorkflows] : [contentPipeline];
}
