import type { Metric, Registry } from 'prom-client';

/**
 * Counters and histograms for what every request updates. prom-client's own hash the label values on every
 * `inc`/`observe`, even through a child from `labels()`, and key histogram buckets by their bound as a string:
 * about a tenth of the main thread's time per single-call webhook request. Here a series is plain numbers, found
 * once by the caller (see ServiceMetrics), and prom-client's registry renders them like its own metrics.
 */
type Labels = Readonly<Record<string, string>>;

class CounterSeries {
  value = 0;
  constructor(readonly labels: Labels) {}
  inc(by = 1): void {
    this.value += by;
  }
}

class HistogramSeries {
  /** Observations per bucket (not cumulative), one per bound; above the last bound only `count` grows. */
  readonly perBucket: Float64Array;
  sum = 0;
  count = 0;
  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.perBucket = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        this.perBucket[i]! += 1;
        return;
      }
    }
  }
}

interface Sample {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  readonly metricName?: string;
}

/** A metric of labelled series, registered in a prom-client registry as a custom metric (its `get`). */
abstract class TallyMetric<S extends { readonly labels: Labels }> {
  readonly aggregator = 'sum';
  private readonly byKey = new Map<string, S>();

  constructor(
    readonly name: string,
    readonly help: string,
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  /**
   * The series of some label values, by a key the caller makes from exactly those values (cheaper than hashing
   * a labels object); kept, like prom-client keeps every label set it has seen.
   */
  of(key: string, labels: () => Labels): S {
    let series = this.byKey.get(key);
    if (series === undefined) this.byKey.set(key, (series = this.make(labels())));
    return series;
  }

  protected get series(): IterableIterator<S> {
    return this.byKey.values();
  }

  /** Called by `registry.resetMetrics()`: every series starts again from zero. */
  abstract reset(): void;
  protected abstract make(labels: Labels): S;
  protected abstract samples(): Sample[];

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.samples() };
  }

  abstract readonly type: 'counter' | 'histogram';
}

export class TallyCounter extends TallyMetric<CounterSeries> {
  readonly type = 'counter';
  protected make(labels: Labels): CounterSeries {
    return new CounterSeries(labels);
  }
  protected samples(): Sample[] {
    return [...this.series].map((s) => ({ labels: s.labels, value: s.value }));
  }
  reset(): void {
    for (const s of this.series) s.value = 0;
  }
}

export class TallyHistogram extends TallyMetric<HistogramSeries> {
  readonly type = 'histogram';

  constructor(name: string, help: string, registry: Registry, private readonly bounds: readonly number[]) {
    super(name, help, registry);
  }

  protected make(labels: Labels): HistogramSeries {
    return new HistogramSeries(labels, this.bounds);
  }

  protected samples(): Sample[] {
    const samples: Sample[] = [];
    for (const s of this.series) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += s.perBucket[i]!;
        samples.push({ labels: { ...s.labels, le }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      samples.push({ labels: { ...s.labels, le: '+Inf' }, value: s.count, metricName: `${this.name}_bucket` });
      samples.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      samples.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return samples;
  }

  reset(): void {
    for (const s of this.series) {
      s.perBucket.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }
}
