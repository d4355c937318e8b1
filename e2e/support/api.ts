import { Api, waitFor } from "../../tests/helpers/api";
import { ADMIN_USER, type TestUser } from "./fixtures";

/** The HTTP API as the browser app uses it (JSON, same-origin Origin, session cookie), for test setup. */
export async function apiAs(baseUrl: string, user: TestUser = ADMIN_USER): Promise<Api> {
  return new Api(baseUrl).login(user.email, user.password);
}

export type CheckpointSummary = { id: string; runId: string; step: string; round: number; content: string };

/** Starts a content-pipeline run; returns its id. */
export async function startContentRun(api: Api, topic: string): Promise<string> {
  const res = await api.post("/api/workflows", { workflow: "content-pipeline", input: { topic } });
  if (res.status !== 201) throw new Error(`start run failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.run.id as string;
}

/** Waits for the pending checkpoint of `runId` at `step` (and `round`, if given). */
export async function pendingCheckpoint(api: Api, runId: string, step: string, round?: number) {
  return waitFor<CheckpointSummary>(
    async () => {
      const res = await api.get(`/api/checkpoints?status=pending&runId=${runId}&step=${encodeURIComponent(step)}`);
      const items = (res.body?.items ?? []) as CheckpointSummary[];
      return items.find((c) => round === undefined || c.round === round);
    },
    15_000,
    `pending ${step} on run ${runId}`,
  );
}

export const short = (id: string) => id.slice(0, 8);
