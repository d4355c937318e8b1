/**
 * The words of seeded history (scripts/seed.ts): text a few hundred
 * characters long composed from vocabularies, so a search index over it has
 * common words ("customer", "article"), rare ones (a name, an order number)
 * and misses, like real review traffic.
 */

/** A small, fast, seedable PRNG (mulberry32): the same --seed gives the same history. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  /** Zipf-like: early items much more often than late ones. */
  const skewed = <T>(items: readonly T[]): T => items[Math.floor(next() ** 2.2 * items.length)];
  return { next, int, pick, skewed };
}
export type Random = ReturnType<typeof prng>;

export const TOPICS = [
  "carbon capture",
  "heat pumps",
  "open-source licensing",
  "urban beekeeping",
  "remote work",
  "battery recycling",
  "microplastics",
  "quantum sensors",
  "sourdough fermentation",
  "vertical farming",
  "passkeys",
  "river restoration",
  "rural broadband",
  "tidal energy",
  "sleep science",
  "container shipping",
  "coral reefs",
  "municipal budgets",
  "electric buses",
  "food waste",
  "password managers",
  "wildfire smoke",
  "citizen science",
  "solar storms",
] as const;

const AUDIENCES = ["general readers", "engineers", "city officials", "students", "small business owners"];
const FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Emeka", "Farah", "Gustav", "Hana", "Ivan", "Jia", "Kofi", "Lena"];
const LAST = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Haddad", "Fischer", "Santos", "Kowalski", "Reyes"];
const CITIES = ["Lisbon", "Nairobi", "Osaka", "Tallinn", "Montréal", "Valparaíso", "Gdańsk", "Hobart", "Accra"];

const OPENERS = [
  "Recent studies suggest that",
  "Most readers assume that",
  "According to the latest figures,",
  "In practice,",
  "A common misconception is that",
  "Early pilots showed that",
  "The evidence is thin, but",
  "Several cities report that",
];
const CLAIMS = [
  "costs fell by a third over five years",
  "adoption depends on local incentives more than on technology",
  "the main obstacle is maintenance, not installation",
  "the benefits arrive slowly and are easy to overlook",
  "small changes in policy had outsized effects",
  "independent measurements disagree with the industry's numbers",
  "the first generation of projects taught expensive lessons",
  "public trust rises when the data is published openly",
  "the workforce to build it does not exist yet",
  "insurance and financing shape the market as much as demand",
];
const QUALIFIERS = [
  "though the sample was small",
  "especially in colder climates",
  "at least for households",
  "which surprised the researchers",
  "according to a 2023 survey",
  "if the pilots are representative",
  "in most of the regions studied",
];

export const TICKET_ISSUES = [
  "a duplicate charge on the last invoice",
  "a password reset email that never arrives",
  "an export that fails with a timeout",
  "a refund for a cancelled subscription",
  "a login loop on the mobile app",
  "the billing address on their account",
  "a missing delivery to the warehouse",
  "an API key that stopped working",
  "two-factor codes that are rejected",
  "a crash when uploading large files",
] as const;
const NEXT_STEPS = [
  "We have refunded the duplicate amount; it should appear within five working days.",
  "An engineer is looking into it and we will write again within one working day.",
  "We reset the session on our side; please sign in again and tell us if it happens again.",
  "We have updated the record and sent a confirmation to the address on file.",
  "Could you send us a screenshot of the error and the time it happened?",
  "The fix is rolling out this week; until then the workaround below avoids the problem.",
];

const NOTE_PARTS = [
  "Tone is too formal for this customer.",
  "Please cite the source for the figures.",
  "Shorten the introduction.",
  "The second section repeats the first.",
  "Wrong customer name in the greeting.",
  "Good, but check the refund amount against the invoice.",
  "Add the escalation path for enterprise accounts.",
  "Needs a clearer call to action.",
  "Facts check out; minor wording changes only.",
  "Policy says we cannot promise a date.",
  "Escalated to legal before sending.",
  "Headline oversells the findings.",
];

export const INBOX_SOURCES = ["langgraph:refunds", "zendesk", "python-agent", "crewai:contracts"] as const;

const sentence = (r: Random, subject: string) =>
  `${r.pick(OPENERS)} for ${subject} ${r.skewed(CLAIMS)}, ${r.pick(QUALIFIERS)}.`;
export const personName = (r: Random) => `${r.pick(FIRST)} ${r.pick(LAST)}`;
export const audience = (r: Random) => r.pick(AUDIENCES);

/** What a content-pipeline checkpoint shows, by step. */
export function articleText(r: Random, step: string, topic: string, round: number): string {
  const title = topic.replace(/\b\w/g, (c) => c.toUpperCase());
  const revision = round > 0 ? `\n\nRevision ${round}, addressing reviewer feedback.` : "";
  switch (step) {
    case "review-research":
      return `Research notes: ${title}\n\n- ${sentence(r, topic)}\n- Example from ${r.pick(CITIES)}: ${r.pick(CLAIMS)}.\n- Open question: ${r.pick(CLAIMS)}?${revision}`;
    case "review-outline":
      return `1. Introduction: why ${topic} matters now\n2. Background: ${r.pick(CLAIMS)}\n3. A case from ${r.pick(CITIES)}\n4. What critics say: ${r.pick(CLAIMS)}\n5. Conclusion and open questions${revision}`;
    default:
      return `# ${title}: what ${r.pick(AUDIENCES)} should know\n\n${sentence(r, topic)}\n\nIn ${r.pick(CITIES)}, ${r.pick(CLAIMS)}.${revision}`;
  }
}

export function replyText(r: Random, customer: string, issue: string): string {
  return `Hello ${customer},\n\nThank you for writing to us about ${issue}. ${r.pick(NEXT_STEPS)}\n\nBest regards,\nThe support team`;
}

/** An inbox checkpoint: title, content (text or a JSON object), metadata, by source. */
export function inboxItem(r: Random, source: string, serial: number) {
  const customer = personName(r);
  const ref = 10_000 + ((serial * 7919) % 90_000);
  const meta = { customer, priority: r.pick(["low", "normal", "high"]), region: r.pick(CITIES), ref };
  if (source === "langgraph:refunds") {
    const amount = Math.round(r.next() * 50_000) / 100;
    return {
      title: `Refund ${ref} for ${customer}`,
      contentType: "json" as const,
      content: JSON.stringify({
        refund: { amount, currency: r.pick(["EUR", "USD", "GBP"]), reason: r.pick(TICKET_ISSUES) },
        summary: `${customer} asks for a refund: ${r.pick(TICKET_ISSUES)}.`,
      }),
      metadata: meta,
    };
  }
  if (source === "zendesk") {
    const issue = r.pick(TICKET_ISSUES);
    return {
      title: `Ticket ${ref}: ${issue}`,
      contentType: "text" as const,
      content: replyText(r, customer, issue),
      metadata: meta,
    };
  }
  const clause = r.pick(["liability cap", "termination notice", "data processing", "payment terms", "renewal"]);
  return {
    title: `Contract ${ref}: ${clause} clause`,
    contentType: "markdown" as const,
    content: `**${clause}**\n\nThe supplier in ${r.pick(CITIES)} proposes that ${r.pick(CLAIMS)}. Recommended: accept with the standard wording.`,
    metadata: meta,
  };
}

/** A reviewer's edit: a sentence replaced, a line added, or a tightened text. */
export function editOf(r: Random, content: string, contentType: string): string {
  if (contentType === "json") {
    const parsed = JSON.parse(content) as { refund?: { amount: number } };
    if (parsed.refund) parsed.refund.amount = Math.round(parsed.refund.amount * 0.8 * 100) / 100;
    return JSON.stringify({ ...parsed, reviewerNote: r.pick(NOTE_PARTS) });
  }
  const lines = content.split("\n");
  const at = r.int(lines.length);
  lines[at] = `${lines[at]} ${r.pick(CLAIMS)}.`;
  return `${lines.join("\n")}\n\n${r.pick(NEXT_STEPS)}`;
}

export function noteText(r: Random): string {
  return r.next() < 0.7 ? r.pick(NOTE_PARTS) : `${r.pick(NOTE_PARTS)} ${r.pick(NOTE_PARTS)}`;
}
