/**
 * Time-to-decision percentiles (SPEC §11). The rollup (checkpoint_stats, kept by
 * the triggers of drizzle/0005_admin_console.sql) counts decisions per log
 * bucket of created→resolved milliseconds: bucket b = floor(8·log2(max(ms, 1))),
 * so bucket b holds 2^(b/8) ≤ ms < 2^((b+1)/8), a width of ×2^(1/8) ≈ 1.09.
 * Reporting the bucket's geometric middle 2^((b+½)/8) is off by at most
 * ×2^(1/16), i.e. ≤ 4.4 %. Small sets are computed exactly instead.
 */

/** The bucket of a decision time, as the SQL triggers compute it. */
export function latencyBucket(ms: number): number {
  return Math.floor(8 * Math.log2(Math.max(ms, 1)));
}

/** The value reported for a bucket: its geometric middle (not rounded, so the 4.4 % bound holds for small times too). */
export function bucketMiddleMs(bucket: number): number {
  return 2 ** ((bucket + 0.5) / 8);
}

/** Nearest rank: the smallest value with at least p·n values at or below it (1-based rank ⌈p·n⌉). */
function nearestRank(count: number, p: number): number {
  return Math.max(1, Math.ceil(p * count));
}

/** The exact nearest-rank percentile of values sorted ascending; null for none. */
export function exactPercentile(sortedAscending: readonly number[], p: number): number | null {
  if (sortedAscending.length === 0) return null;
  return sortedAscending[nearestRank(sortedAscending.length, p) - 1] ?? null;
}

/** Decisions per bucket, indexed by bucket (b < 512 for any time below 2^64 ms). */
export type LatencyHistogram = Float64Array;
const BUCKETS = 512;

export function emptyHistogram(): LatencyHistogram {
  return new Float64Array(BUCKETS);
}

const QUOTE = 34;
const COLON = 58;
const ZERO = 48;
const NINE = 57;

/**
 * Adds the rollup's `latency` objects to a histogram: `{"b":n,…}` as SQLite's
 * json functions write them (compact, digit keys, integer counts), several
 * joined by commas (group_concat). A hand scanner: five times faster than
 * JSON.parse and iterating the objects, which matters at a year of rollup
 * rows (~800,000 bucket counts). Anything else in the text is an error, never
 * a silent miscount.
 */
export function addLatencyText(histogram: LatencyHistogram, text: string): void {
  const readNumber = (at: number): [number, number] => {
    let value = 0;
    let i = at;
    for (let c = text.charCodeAt(i); c >= ZERO && c <= NINE; c = text.charCodeAt(++i)) value = value * 10 + (c - ZERO);
    if (i === at)
      throw new Error(`latency histogram: a number expected at ${at} of ${JSON.stringify(text.slice(0, 80))}`);
    return [value, i];
  };
  let i = text.indexOf('"');
  while (i !== -1) {
    const [bucket, afterKey] = readNumber(i + 1);
    if (text.charCodeAt(afterKey) !== QUOTE || text.charCodeAt(afterKey + 1) !== COLON || bucket >= BUCKETS) {
      throw new Error(`latency histogram: unexpected text at ${afterKey} of ${JSON.stringify(text.slice(0, 80))}`);
    }
    const [count, afterValue] = readNumber(afterKey + 2);
    histogram[bucket] += count;
    i = text.indexOf('"', afterValue);
  }
}

/** Adds one histogram into another. */
export function mergeHistogram(into: LatencyHistogram, from: LatencyHistogram): void {
  for (let b = 0; b < BUCKETS; b++) into[b] += from[b];
}

/** The nearest-rank percentile from a histogram, as its bucket's middle; null for an empty one. */
export function histogramPercentile(histogram: LatencyHistogram, p: number): number | null {
  let total = 0;
  for (const count of histogram) total += count;
  if (total <= 0) return null;
  const rank = nearestRank(total, p);
  let seen = 0;
  for (let b = 0; b < BUCKETS; b++) {
    seen += histogram[b];
    if (seen >= rank) return bucketMiddleMs(b);
  }
  return null;
}
