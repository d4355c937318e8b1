import "server-only";
import { getRunCreatorToken } from "@/db/queries";
import type { Checkpoint } from "@/db/schema";
import type { Principal } from "@/lib/auth/authenticate";
import { AppError } from "@/lib/errors";
import { getRuntime } from "@/lib/runtime";

/**
 * Who may read a checkpoint and wait on its decision: any reviewer; an API
 * token only the checkpoints it created (others are 404 to it: it does not
 * learn they exist).
 */
export function assertMayReadCheckpoint(
  principal: Principal,
  checkpoint: Checkpoint | undefined,
  id: string,
): Checkpoint {
  if (checkpoint && principal.kind === "user") return checkpoint;
  if (checkpoint && principal.kind === "token") {
    const creator = getRunCreatorToken(getRuntime().db, checkpoint.runId)?.createdByTokenId;
    if (creator === principal.token.id) return checkpoint;
  }
  throw new AppError("not_found", `Checkpoint ${id} not found`);
}
