/** GET /api/workflow-definitions item, as the pages use it. */
export type WorkflowDefinitionDto = {
  id: string;
  name: string;
  description: string;
  inputSchema: unknown;
  steps: { name: string; kind: "agent" | "checkpoint" }[];
};
