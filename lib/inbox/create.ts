import "server-only";
import Ajv2020 from "ajv/dist/2020.js";
import { findUserById } from "@/db/auth-queries";
import type { Db } from "@/db/client";
import type { CreateCheckpointBody } from "@/lib/api/schemas";
import type { Principal } from "@/lib/auth/authenticate";
import type { InboxCheckpoint } from "@/lib/engine/checkpoint-manager";
import { AppError, invalidField } from "@/lib/errors";

// ajv compiles schemas, which is allowed here on the server: it is the strict check that a schema is sound
const ajv = new Ajv2020({ allErrors: true, strict: false });

/** Why a JSON Schema cannot be used, or null when it can. */
function schemaProblem(schema: Record<string, unknown>): string | null {
  try {
    ajv.compile(schema);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * A POST /api/checkpoints body, checked beyond its shape, as the engine takes
 * it: the JSON Schema must compile, a callback needs an API token (its signing
 * secret signs the delivery) and an allowed host, an assignee must exist.
 */
export function inboxCheckpointOf(
  body: CreateCheckpointBody,
  context: { principal: Principal; callbackHosts: string[] | undefined; db: Db },
): InboxCheckpoint {
  const invalid = (path: string, message: string) =>
    new AppError("invalid_input", message, invalidField(path, message));
  if (body.schema) {
    const problem = schemaProblem(body.schema);
    if (problem) throw invalid("schema", `The schema is not a usable JSON Schema: ${problem}`);
  }
  if (body.callbackUrl) {
    if (context.principal.kind !== "token") {
      throw invalid("callbackUrl", "A callback needs an API token: its signing secret signs the delivery");
    }
    const host = new URL(body.callbackUrl).hostname.toLowerCase();
    if (context.callbackHosts && !context.callbackHosts.includes(host)) {
      throw invalid("callbackUrl", `Callbacks may go only to ${context.callbackHosts.join(", ")} (CALLBACK_HOSTS)`);
    }
  }
  if (body.assignee && "userId" in body.assignee && !findUserById(context.db, body.assignee.userId)) {
    throw invalid("assignee.userId", "No such user");
  }
  return {
    title: body.title,
    content: body.content,
    contentType: body.contentType ?? (typeof body.content === "string" ? "text" : "json"),
    source: body.source ?? null,
    metadata: body.metadata ?? null,
    schema: body.schema ?? null,
    allow: body.allow ?? null,
    timeoutMs: body.timeoutSeconds === undefined ? null : body.timeoutSeconds * 1000,
    onTimeout: body.onTimeout ?? "reject",
    assignee: body.assignee ?? null,
    callbackUrl: body.callbackUrl ?? null,
  };
}
