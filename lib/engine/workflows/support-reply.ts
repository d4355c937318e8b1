import "server-only";
import { z } from "zod";
import { agent, checkpoint, defineWorkflow, modelAgent } from "../define";

/**
 * The README's "Write your own workflow" example, shipped: a model reads a
 * support ticket and drafts the reply, a person approves or edits it, then it
 * is sent (here: recorded, with the idempotency key a mail API would take).
 */

const CATEGORIES = ["billing", "bug", "account", "other"] as const;

export const supportReply = defineWorkflow({
  id: "support-reply",
  name: "Support reply",
  description: "Classify a customer's ticket, draft a reply with a model, approve it, send it.",
  input: z.object({
    customer: z.string().trim().min(1).max(200),
    message: z.string().trim().min(10, "The ticket needs at least 10 characters").max(5000),
  }),
  steps: [
    modelAgent("classify", {
      output: "category",
      system: `Classify customer support tickets. Answer with exactly one word: ${CATEGORIES.join(", ")}.`,
      prompt: ({ input }) => `Ticket from ${input.customer}:\n\n${input.message}`,
      offline: ({ input }) => {
        const message = String(input.message).toLowerCase();
        if (/invoice|charge|refund|price|billing/.test(message)) return "billing";
        if (/error|crash|broken|bug|fails?/.test(message)) return "bug";
        if (/password|login|sign in|account|email/.test(message)) return "account";
        return "other";
      },
    }),
    modelAgent("draft-reply", {
      output: "reply",
      system: "You write short, kind, concrete replies for a support team. Plain text, no placeholders.",
      prompt: ({ input, state }) =>
        `Category: ${state.category}\nTicket from ${input.customer}:\n\n${input.message}\n\n` +
        "Write the reply: greet them by name, answer what they asked, say what happens next.",
      offline: ({ input, state }) =>
        [
          `Hello ${input.customer},`,
          "",
          `Thank you for writing to us about this ${String(state.category).trim()} question. ` +
            "We have read your message and a member of the team is looking into it now.",
          "We will write again within one working day with what we found.",
          "",
          "Best regards,",
          "The support team",
        ].join("\n"),
    }),
    checkpoint("review-reply", { show: "reply", onReject: "retry" }),
    agent("send", ({ input, state, idempotencyKey }) => ({
      sent: { to: input.customer, category: state.category, messageId: idempotencyKey },
    })),
  ],
});
