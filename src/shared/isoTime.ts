/**
 * Formats times (milliseconds since the epoch) in ISO 8601 form, remembering the last one: the calls of a request
 * share their receipt time and a burst of live events its publication time, and formatting showed in profiles.
 * Each user keeps its own formatter, so two streams of times do not evict each other's.
 */
export function isoFormatter(): (ms: number) => string {
  let lastMs = NaN;
  let lastIso = '';
  return (ms) => {
    if (ms !== lastMs) {
      lastIso = new Date(ms).toISOString();
      lastMs = ms;
    }
    return lastIso;
  };
}
