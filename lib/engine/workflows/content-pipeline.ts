import "server-only";
import { z } from "zod";
import { agent, checkpoint, defineWorkflow, modelAgent } from "../define";

/**
 * The shipped demo: four model agents write an article, with a review after
 * each. On a machine with no model server configured, each has an offline
 * writer of its own (deterministic, readable text), so the whole loop works.
 */

const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
const titleCase = (topic: string) => topic.replace(/\b\w/g, (c) => c.toUpperCase());
const brief = (input: Readonly<Record<string, unknown>>) => `Topic: ${input.topic}\nAudience: ${input.audience}`;

const SYSTEM =
  "You are part of an editorial team writing a short, accurate article. Write plain Markdown. " +
  "Follow the structure you are given exactly; do not add a preamble or closing remarks about the task.";

export const contentPipeline = defineWorkflow({
  id: "content-pipeline",
  name: "Content pipeline",
  description: "Research, outline, draft and finalize an article with a model, with a review after each stage.",
  input: z.object({
    topic: z.string().trim().min(3, "Topic must be at least 3 characters").max(200),
    audience: z.string().trim().min(2).max(100).default("general readers"),
  }),
  steps: [
    modelAgent("research", {
      system: SYSTEM,
      output: "notes",
      prompt: ({ input }) =>
        `${brief(input)}\n\nWrite research notes for this article: a title line "Research notes: <topic>", then ` +
        "five to eight bullet points (what it is, why it matters now, common misconceptions, two concrete examples, " +
        "open questions). Mark anything uncertain as such.",
      offline: ({ input, feedback, round }) => {
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
        return notes.join("\n");
      },
    }),
    checkpoint("review-research", { show: "notes", onReject: "retry" }),

    modelAgent("outline", {
      system: SYSTEM,
      output: "outline",
      prompt: ({ input, state }) =>
        `${brief(input)}\n\nThe approved research notes:\n\n${text(state.notes)}\n\n` +
        'Write the article\'s outline: one numbered line per section ("1. Introduction: …"), four to six sections, ' +
        "nothing else.",
      offline: ({ input, state }) => {
        const topic = titleCase(String(input.topic));
        const pointCount = text(state.notes)
          .split("\n")
          .filter((line) => line.startsWith("- ")).length;
        return [
          `1. Introduction: why ${topic} matters`,
          `2. What ${topic} is`,
          "3. Misconceptions",
          "4. Examples in practice",
          `5. Conclusion (${pointCount} research points covered)`,
        ].join("\n");
      },
    }),
    checkpoint("review-outline", { show: "outline", onReject: "retry" }),

    // follows the outline as the reviewer approved or edited it, section by section
    modelAgent("draft", {
      system: SYSTEM,
      output: "draft",
      prompt: ({ input, state }) =>
        `${brief(input)}\n\nResearch notes:\n\n${text(state.notes)}\n\nThe approved outline (follow it exactly, ` +
        `one "## " heading per line, in this order, with no other sections):\n\n${text(state.outline)}\n\n` +
        'Write the draft: a "# " title, then each section with two or three short paragraphs.',
      offline: ({ input, state }) => {
        const topic = String(input.topic);
        const sections = text(state.outline)
          .split("\n")
          .map((line) => line.replace(/^\s*\d+[.)]\s*/, "").trim())
          .filter(Boolean);
        const body = sections.map(
          (heading) =>
            `## ${heading}\n\nThis section covers "${heading}" as it relates to ${topic}, written for ${input.audience}.`,
        );
        return [`# ${titleCase(topic)}`, "", ...body.flatMap((b) => [b, ""])].join("\n").trim();
      },
    }),
    checkpoint("review-draft", { show: "draft" }),

    modelAgent("finalize", {
      system: SYSTEM,
      output: "final",
      prompt: ({ input, state }) =>
        `${brief(input)}\n\nThe approved draft:\n\n${text(state.draft)}\n\n` +
        "Polish it for publication: fix grammar, tighten sentences, keep every heading and the meaning. " +
        "Return the whole article.",
      offline: ({ state }) => {
        const draft = text(state.draft);
        const words = draft.split(/\s+/).filter(Boolean).length;
        return `${draft}\n\n---\n${words} words · ready to publish`;
      },
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
