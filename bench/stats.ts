/** Latency samples (milliseconds), bounded: past `capacity` it keeps a uniform sample (reservoir). */
export class Samples {
  private readonly values: number[] = [];
  private seen = 0;
  constructor(private readonly capacity = 200_000) {}

  add(ms: number): void {
    this.seen += 1;
    if (this.values.length < this.capacity) this.values.push(ms);
    else {
      const slot = Math.floor(Math.random() * this.seen);
      if (slot < this.capacity) this.values[slot] = ms;
    }
  }

  get count(): number {
    return this.seen;
  }

  percentiles(): { p50: number; p95: number; p99: number; max: number } {
    const sorted = [...this.values].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN);
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1]! : NaN };
  }
}

export const round = (value: number, digits = 1) => Number.isFinite(value) ? Number(value.toFixed(digits)) : null;
