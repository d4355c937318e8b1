import { Api } from "../../tests/helpers/api";
import type { TestUser } from "../../tests/helpers/cli";
import { ADMIN_USER } from "./fixtures";

export { pendingCheckpoint } from "../../tests/helpers/api";

/** The HTTP API as the browser app uses it (JSON, same-origin Origin, session cookie), for test setup. */
export async function apiAs(baseUrl: string, user: TestUser = ADMIN_USER): Promise<Api> {
  return new Api(baseUrl).login(user.email, user.password);
}

/** Starts a content-pipeline run; returns its id. */
export async function startContentRun(api: Api, topic: string): Promise<string> {
  return (await api.startRun("content-pipeline", { topic })).id;
}

export const short = (id: string) => id.slice(0, 8);
