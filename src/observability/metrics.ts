import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Outcome of one Segment call at the door. */
export type CallOutcome = 'accepted' | 'duplicate' | 'rejected';

/** What a replay or rebuild reports while it runs; `total` is the number of events it expects to handle. */
export interface ReplayProgress {
  readonly processed: number;
  readonly total: number;
}

/** Values computed when Prometheus scrapes (lag, dead letters), so nothing polls the stores in between. */
export interface ScrapeSources {
  projectionLag(): readonly { projection: string; events: number; seconds: number }[];
  deadLetters(): Promise<readonly { status: string; count: number }[]>;
}

/**
 * The service's Prometheus metrics, in a registry of its own (several services can run in one test process).
 * Everything that counts or times calls the small methods below; nobody touches prom-client directly.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly calls = new Counter({
    name: 'segment_events_total',
    help: 'Segment calls received, by call type and outcome (accepted, duplicate, rejected)',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly ackLatency = new Histogram({
    name: 'segment_ack_latency_seconds',
    help: 'Time from receiving a webhook request to answering it, by status',
    labelNames: ['status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly shed = new Counter({
    name: 'segment_webhook_shed_total',
    help: 'Webhook requests answered 429/503 without being processed, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  /** Changes twice per request: kept as a number, handed to its gauge when Prometheus scrapes. */
  private inFlightCalls = 0;
  private readonly inFlight: Gauge = new Gauge({
    name: 'segment_appends_in_flight_calls',
    help: 'Segment calls whose append has not committed yet',
    registers: [this.registry],
    collect: (): void => this.inFlight.set(this.inFlightCalls),
  });
  private readonly replayProcessed = new Gauge({
    name: 'replay_processed_events',
    help: 'Events handled so far by a running or finished replay',
    labelNames: ['replay'] as const,
    registers: [this.registry],
  });
  private readonly replayTotal = new Gauge({
    name: 'replay_total_events',
    help: 'Events a replay expects to handle',
    labelNames: ['replay'] as const,
    registers: [this.registry],
  });
  private readonly replayRatio = new Gauge({
    name: 'replay_progress_ratio',
    help: 'Share of a replay done, 0 to 1',
    labelNames: ['replay'] as const,
    registers: [this.registry],
  });

  /** The labelled series each request updates, looked up by a string instead of prom-client hashing labels. */
  private readonly series = new SeriesCache();

  constructor(sources: ScrapeSources, options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'projection_lag_events',
      help: 'Events stored but not yet projected, per projection (upper bound, sampled)',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const lag of sources.projectionLag()) this.set({ projection: lag.projection }, lag.events);
      },
    });
    new Gauge({
      name: 'projection_lag_seconds',
      help: 'Age of the oldest stored event a projection has not handled yet (0 when caught up)',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const lag of sources.projectionLag()) this.set({ projection: lag.projection }, lag.seconds);
      },
    });
    new Gauge({
      name: 'dead_letters',
      help: 'Dead letters (rejected calls and events projections failed on), by status',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { status, count } of await sources.deadLetters().catch(() => [])) this.set({ status }, count);
      },
    });
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    const series = this.series.get(`http ${method} ${route} ${status}`, () => ({
      count: this.httpRequests.labels({ method, route, status: String(status) }),
      duration: this.httpDuration.labels({ route }),
    }));
    series.count.inc();
    series.duration.observe(seconds);
  }

  webhookAnswered(status: number, seconds: number): void {
    this.series.get(`ack ${status}`, () => this.ackLatency.labels({ status: String(status) })).observe(seconds);
  }

  callsSeen(type: string, outcome: CallOutcome, count = 1): void {
    if (count > 0) this.series.get(`calls ${type} ${outcome}`, () => this.calls.labels({ type, outcome })).inc(count);
  }

  requestShed(reason: string): void {
    this.shed.inc({ reason });
  }

  setInFlightCalls(count: number): void {
    this.inFlightCalls = count;
  }

  /** For replays and rebuilds: call as often as convenient (it only sets gauges). */
  replayProgress(replay: string, progress: ReplayProgress): void {
    this.replayProcessed.set({ replay }, progress.processed);
    this.replayTotal.set({ replay }, progress.total);
    this.replayRatio.set({ replay }, progress.total > 0 ? Math.min(1, progress.processed / progress.total) : 1);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/**
 * Labelled series by a key made of their label values. Bounded: label values come partly from requests (method,
 * call type), and past the bound a series is simply looked up through prom-client each time.
 */
class SeriesCache {
  private readonly byKey = new Map<string, unknown>();
  constructor(private readonly limit = 1000) {}

  get<T>(key: string, make: () => T): T {
    let series = this.byKey.get(key) as T | undefined;
    if (series === undefined) {
      series = make();
      if (this.byKey.size < this.limit) this.byKey.set(key, series);
    }
    return series;
  }
}
