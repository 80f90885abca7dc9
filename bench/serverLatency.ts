/**
 * The service's own view of ack latency: its `segment_ack_latency_seconds` histogram at /metrics, read before and
 * after a phase. The load generator's figures count from when a request was due, so under overload they include
 * the time requests queue in the generator; the histogram shows what a request waits once the service took it.
 */
export type AckBuckets = Map<number, number>;

/** Cumulative counts per upper bound (seconds), summed over the answers' statuses. */
export async function scrapeAckBuckets(url: string): Promise<AckBuckets> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text(), () => '');
  const buckets: AckBuckets = new Map();
  for (const match of text.matchAll(/^segment_ack_latency_seconds_bucket\{[^}]*le="([^"]+)"[^}]*\} (\S+)$/gm)) {
    const le = match[1] === '+Inf' ? Infinity : Number(match[1]);
    buckets.set(le, (buckets.get(le) ?? 0) + Number(match[2]));
  }
  return buckets;
}

/** The histogram bound (in ms) under which a share `q` of the phase's answers fell, as "<= 50" (or "> 5000"). */
export function quantileBound(before: AckBuckets, after: AckBuckets, q: number): string {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  if (total <= 0) return 'n/a';
  for (const le of bounds) {
    if ((after.get(le) ?? 0) - (before.get(le) ?? 0) >= q * total) {
      return Number.isFinite(le) ? `<= ${Math.round(le * 1000)}` : `> ${Math.round(bounds[bounds.length - 2]! * 1000)}`;
    }
  }
  return 'n/a';
}
