import "server-only";
import type { RunSummaryRow } from "@/db/queries";
import type { Checkpoint } from "@/db/schema";
import { checkpointDto, runSummaryDto } from "@/lib/api/serialize";
import { EventType } from "@/lib/events";
import type { WebhookEvent, WebhookFormat } from "@/lib/review-policy";

/**
 * The bodies Gatehouse sends (SPEC §9, §10), built once when a delivery is
 * queued and kept with it: every retry and redelivery sends the same bytes.
 */

/** What a webhook notice is about: a checkpoint (created, expired) or a run (failed). */
export type Notice =
  | { type: Exclude<WebhookEvent, "run.failed">; at: number; checkpoint: Checkpoint }
  | { type: "run.failed"; at: number; run: RunSummaryRow };

/** A decided or expired checkpoint's callback: the checkpoint as the API shows it, and its decision. */
export function callbackBody(checkpoint: Checkpoint): string {
  const dto = checkpointDto(checkpoint);
  return JSON.stringify({ type: EventType.checkpointDecided, checkpoint: dto, decision: dto.decision });
}

/** A webhook's body: generic JSON `{type, checkpoint | run, at}`, or Slack's `{"text"}` with a link. */
export function webhookBody(format: WebhookFormat, notice: Notice, baseUrl: string): string {
  if (format === "slack") return JSON.stringify({ text: slackText(notice, baseUrl) });
  const at = new Date(notice.at).toISOString();
  return notice.type === "run.failed"
    ? JSON.stringify({ type: notice.type, run: runSummaryDto(notice.run), at })
    : JSON.stringify({ type: notice.type, checkpoint: checkpointDto(notice.checkpoint), at });
}

/** Slack mrkdwn: these three characters are its markup, everything else is text. */
const escapeSlack = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const slackLink = (url: string, label: string) => `<${url}|${escapeSlack(label)}>`;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function slackText(notice: Notice, baseUrl: string): string {
  if (notice.type === "run.failed") {
    const { run } = notice;
    const why = run.error ? `: ${escapeSlack(clip(run.error.message, 300))}` : "";
    return `Run failed: *${escapeSlack(run.workflowId)}* run ${run.id.slice(0, 8)}${why}. ${slackLink(`${baseUrl}/runs/${run.id}`, "Open the run")}`;
  }
  const cp = notice.checkpoint;
  const name = `*${escapeSlack(clip(cp.title ?? cp.stepName, 200))}*`;
  const from = cp.source
    ? ` from ${escapeSlack(cp.source)}`
    : ` (${escapeSlack(cp.workflowId)}, run ${cp.runId.slice(0, 8)})`;
  const link = slackLink(`${baseUrl}/review/${cp.id}`, "Open in Gatehouse");
  if (notice.type === "checkpoint.expired") {
    const outcome = cp.onTimeout ? `; its timeout action: ${cp.onTimeout}` : "";
    return `Checkpoint expired without a decision: ${name}${from}${outcome}. ${link}`;
  }
  return `Checkpoint waiting for review: ${name}${from}. ${link}`;
}
