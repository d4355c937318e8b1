import type { CreateCheckpointBody } from "@/lib/api/schemas";
import type { CheckpointDto, DecisionPollResponse } from "@/lib/api/types";
import { Api } from "../../tests/helpers/api";

/**
 * Inbox checkpoints (SPEC §9) for the browser tests, made the way other
 * services make them: `POST /api/checkpoints`, as a signed-in user or with a
 * `checkpoints:write` token.
 */

export async function createInboxCheckpoint(api: Api, body: CreateCheckpointBody): Promise<CheckpointDto> {
  const res = await api.post("/api/checkpoints", body);
  if (res.status !== 201) throw new Error(`POST /api/checkpoints answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.checkpoint as CheckpointDto;
}

/** An API client with its own `checkpoints:write` token (the admin creates it), as an agent elsewhere would be. */
export async function inboxClient(admin: Api, name: string): Promise<Api> {
  const { secret } = await admin.createToken(name, ["checkpoints:write"]);
  return new Api(admin.baseUrl, secret, { sendOrigin: false });
}

/** The long-poll: answers when the checkpoint is decided, or after `waitSeconds` with no decision. */
export async function waitForDecision(api: Api, checkpointId: string, waitSeconds = 30): Promise<DecisionPollResponse> {
  const res = await api.get(`/api/checkpoints/${checkpointId}/decision?wait=${waitSeconds}`);
  if (res.status !== 200) throw new Error(`the long-poll answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as DecisionPollResponse;
}

/** A title no other test on this server uses. */
export const uniqueTitle = (title: string) => `${title} ${Date.now().toString(36)}`;
