/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4),
 * for the metrics tests: anything a Prometheus server could refuse or
 * misread throws with the line it is about.
 */

export type Labels = Record<string, string>;
type Sample = { name: string; labels: Labels; value: number };
export type Family = { name: string; help?: string; type?: string; samples: Sample[] };

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

function fail(lineNo: number, line: string, why: string): never {
  throw new Error(`line ${lineNo}: ${why}: ${JSON.stringify(line)}`);
}

/**
 * A value as Go's strconv.ParseFloat reads it (the format's definition): digits,
 * or NaN and ±Inf in any case (prom-client writes "Nan", which Prometheus reads).
 */
function parseValue(text: string): number {
  if (/^[-+]?inf(inity)?$/i.test(text))
    return text.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^nan$/i.test(text)) return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`not a number: ${text}`);
  return Number(text);
}

/** `{a="x",b="y\"z"}` from position `start` (at the `{`): the labels and the position after the `}`. */
function parseLabels(line: string, start: number): { labels: Labels; end: number } {
  const labels: Labels = {};
  let i = start + 1;
  while (line[i] !== "}") {
    const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i));
    if (!nameMatch) throw new Error(`bad label name at ${i}`);
    const name = nameMatch[0];
    i += name.length;
    if (line.slice(i, i + 2) !== '="') throw new Error(`expected =" after ${name}`);
    i += 2;
    let value = "";
    for (;;) {
      const c = line[i];
      if (c === undefined) throw new Error("unterminated label value");
      if (c === '"') break;
      if (c === "\\") {
        const next = line[i + 1];
        if (next === "n") value += "\n";
        else if (next === "\\" || next === '"') value += next;
        else throw new Error(`bad escape \\${next}`);
        i += 2;
      } else {
        value += c;
        i += 1;
      }
    }
    i += 1;
    if (name in labels) throw new Error(`label ${name} twice`);
    if (!LABEL_NAME.test(name) || name.startsWith("__")) throw new Error(`reserved label name ${name}`);
    labels[name] = value;
    if (line[i] === ",") i += 1;
    else if (line[i] !== "}") throw new Error(`expected , or } at ${i}`);
  }
  return { labels, end: i + 1 };
}

/** Which family a sample belongs to: histograms and summaries own their _bucket/_sum/_count series. */
function familyOf(sampleName: string, families: Map<string, Family>): Family | undefined {
  const own = families.get(sampleName);
  if (own) return own;
  const suffix = /_(bucket|sum|count)$/.exec(sampleName);
  if (!suffix) return undefined;
  const base = families.get(sampleName.slice(0, -suffix[0].length));
  if (base?.type === "histogram") return base;
  if (base?.type === "summary" && suffix[1] !== "bucket") return base;
  return undefined;
}

export function parseExposition(text: string): Map<string, Family> {
  if (!text.endsWith("\n")) throw new Error("the text must end with a newline");
  const families = new Map<string, Family>();
  const seenSeries = new Set<string>();
  let current: Family | undefined;
  const lines = text.slice(0, -1).split("\n");
  for (const [index, line] of lines.entries()) {
    const lineNo = index + 1;
    if (line.trim() === "") continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      if (!METRIC_NAME.test(name)) fail(lineNo, line, "bad metric name");
      let family = families.get(name);
      if (family && family !== current) fail(lineNo, line, "a family's lines must be together");
      if (!family) {
        family = { name, samples: [] };
        families.set(name, family);
      }
      current = family;
      if (kind === "HELP") {
        if (family.help !== undefined) fail(lineNo, line, "HELP twice");
        if (/\\[^n\\]/.test(rest)) fail(lineNo, line, "bad escape in HELP");
        family.help = rest;
      } else {
        if (family.type !== undefined) fail(lineNo, line, "TYPE twice");
        if (family.samples.length > 0) fail(lineNo, line, "TYPE after samples");
        if (!TYPES.has(rest)) fail(lineNo, line, "unknown type");
        family.type = rest;
      }
      continue;
    }
    if (line.startsWith("#")) continue;
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nameMatch) fail(lineNo, line, "a sample must start with a metric name");
    const name = nameMatch[0];
    let position = name.length;
    let labels: Labels = {};
    if (line[position] === "{") {
      try {
        ({ labels, end: position } = parseLabels(line, position));
      } catch (err) {
        fail(lineNo, line, (err as Error).message);
      }
    }
    const rest = line.slice(position);
    const valueMatch = /^ (\S+)( -?\d+)?$/.exec(rest);
    if (!valueMatch) fail(lineNo, line, "expected ' value [timestamp]'");
    let value: number;
    try {
      value = parseValue(valueMatch[1]);
    } catch (err) {
      fail(lineNo, line, (err as Error).message);
    }
    const family = familyOf(name, families);
    if (!family) fail(lineNo, line, "a sample of no declared family");
    if (family !== current) fail(lineNo, line, "a sample away from its family");
    const series = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seenSeries.has(series)) fail(lineNo, line, "the same series twice");
    seenSeries.add(series);
    family.samples.push({ name, labels, value });
  }
  for (const family of families.values()) {
    if (family.help === undefined || family.type === undefined) throw new Error(`${family.name} lacks HELP or TYPE`);
    if (family.type === "histogram") checkHistogram(family);
  }
  return families;
}

const withoutLe = (labels: Labels) => {
  const { le: _le, ...rest } = labels;
  return JSON.stringify(Object.entries(rest).sort());
};

/** Per label set: le increasing and ending in +Inf, counts cumulative, +Inf bucket = _count, a _sum. */
function checkHistogram(family: Family): void {
  const groups = new Map<string, { buckets: { le: number; count: number }[]; sum?: number; count?: number }>();
  const group = (labels: Labels) => {
    const key = withoutLe(labels);
    let g = groups.get(key);
    if (!g) {
      g = { buckets: [] };
      groups.set(key, g);
    }
    return g;
  };
  for (const sample of family.samples) {
    if (sample.name === `${family.name}_bucket`) {
      if (sample.labels.le === undefined) throw new Error(`${family.name}: a bucket without le`);
      group(sample.labels).buckets.push({ le: parseValue(sample.labels.le), count: sample.value });
    } else if (sample.name === `${family.name}_sum`) {
      group(sample.labels).sum = sample.value;
    } else if (sample.name === `${family.name}_count`) {
      group(sample.labels).count = sample.value;
    } else {
      throw new Error(`${family.name}: a histogram sample named ${sample.name}`);
    }
  }
  for (const [key, g] of groups) {
    const where = `${family.name}${key}`;
    if (g.buckets.length === 0 || g.sum === undefined || g.count === undefined) {
      throw new Error(`${where}: needs buckets, _sum and _count`);
    }
    for (let i = 1; i < g.buckets.length; i++) {
      if (!(g.buckets[i].le > g.buckets[i - 1].le)) throw new Error(`${where}: le not increasing`);
      if (g.buckets[i].count < g.buckets[i - 1].count) throw new Error(`${where}: bucket counts not cumulative`);
    }
    const last = g.buckets.at(-1);
    if (last?.le !== Number.POSITIVE_INFINITY) throw new Error(`${where}: no +Inf bucket`);
    if (last.count !== g.count) throw new Error(`${where}: +Inf bucket ${last.count} != _count ${g.count}`);
    if (g.count > 0 && !(g.sum >= 0)) throw new Error(`${where}: bad _sum`);
  }
}

/** The value of the one sample named `name` whose labels include `labels` (0 when there is none yet). */
export function sampleValue(families: Map<string, Family>, name: string, labels: Labels = {}): number {
  const family = familyOf(name, families);
  const matching = (family?.samples ?? []).filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (matching.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${matching.length} samples`);
  return matching[0]?.value ?? 0;
}
