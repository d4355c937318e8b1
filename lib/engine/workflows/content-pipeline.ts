import "server-only";
import { z } from "zod";
import { agent, checkpoint, defineWorkflow } from "../define";

/**
 * The shipped demo: deterministic agents that write readable text from the
 * topic, so the whole review loop works without a model. A real agent calls a
 * model behind the same `agent()` API.
 */

const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

function titleCase(topic: string): string {
  return topic.replace(/\b\w/g, (c) => c.toUpperCase());
}

export const contentPipeline = defineWorkflow({
  id: "content-pipeline",
  name: "Content pipeline",
  description: "Research, outline, draft and finalize an article, with a review after each stage.",
  input: z.object({
    topic: z.string().trim().min(3, "Topic must be at least 3 characters").max(200),
    audience: z.string().trim().min(2).max(100).default("general readers"),
  }),
  steps: [
    agent("research", ({ input, feedback, round }) => {
      const topic = String(input.topic);
      const notes = [
        `Research notes: ${topic}`,
        "",
        `- What ${topic} is, in one paragraph, for ${input.audience}.`,
        `- Why ${topic} matters now: the problem it solves and who feels it.`,
        `- Common misconceptions about ${topic}.`,
        `- Two concrete examples of ${topic} in practice.`,
        `- Open questions and where the evidence is thin.`,
      ];
      if (feedback) notes.push("", `Revision ${round}, addressing reviewer feedback: ${feedback}`);
      return { notes: notes.join("\n") };
    }),
    checkpoint("review-research", { show: "notes", onReject: "retry" }),

    agent("outline", ({ input, state }) => {
      const topic = titleCase(String(input.topic));
      const pointCount = text(state.notes)
        .split("\n")
        .filter((line) => line.startsWith("- ")).length;
      return {
        outline: [
          `1. Introduction: why ${topic} matters`,
          `2. What ${topic} is`,
          `3. Misconceptions`,
          `4. Examples in practice`,
          `5. Conclusion (${pointCount} research points covered)`,
        ].join("\n"),
      };
    }),
    checkpoint("review-outline", { show: "outline", onReject: "retry" }),

    // uses the outline as approved or edited by the reviewer, one section per line
    agent("draft", ({ input, state }) => {
      const topic = String(input.topic);
      const sections = text(state.outline)
        .split("\n")
        .map((line) => line.replace(/^\s*\d+[.)]\s*/, "").trim())
        .filter(Boolean);
      const body = sections.map(
        (heading) =>
          `## ${heading}\n\nThis section covers "${heading}" as it relates to ${topic}, written for ${input.audience}.`,
      );
      return { draft: [`# ${titleCase(topic)}`, "", ...body.flatMap((b) => [b, ""])].join("\n").trim() };
    }),
    checkpoint("review-draft", { show: "draft" }),

    agent("finalize", ({ state }) => {
      const draft = text(state.draft);
      const words = draft.split(/\s+/).filter(Boolean).length;
      return { final: `${draft}\n\n---\n${words} words · ready to publish` };
    }),
    checkpoint("final-approval", { show: "final" }),

    agent("publish", ({ runId, input, idempotencyKey }) => {
      const slug = String(input.topic)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
      return { published: { slug, url: `/articles/${slug}-${runId.slice(0, 8)}`, receipt: idempotencyKey } };
    }),
  ],
});
