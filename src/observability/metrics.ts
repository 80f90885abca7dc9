import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { threadCpuSeconds } from './threadCpu';
import { TallyCounter, TallyHistogram } from './tallies';

/** Outcome of one Segment call at the door. */
export type CallOutcome = 'accepted' | 'duplicate' | 'rejected';

/** What a replay or rebuild reports while it runs; `total` is the number of events it expects to handle. */
export interface ReplayProgress {
  readonly processed: number;
  readonly total: number;
  /** The replay ended in failure (its error is in the replay status API); reads stayed on the live version. */
  readonly failed?: boolean;
}

/** Values computed when Prometheus scrapes (lag, dead letters), so nothing polls the stores in between. */
/** A projection's lag and index build, as the gauges read them. */
type ProjectionState = { projection: string; events: number; seconds: number; indexes?: { state: string } };

export interface ScrapeSources {
  projectionLag(): readonly ProjectionState[];
  deadLetters(): Promise<readonly { status: string; count: number }[]>;
}

/**
 * The service's Prometheus metrics, in a registry of its own (several services can run in one test process).
 * Everything that counts or times calls the small methods below; nobody touches prom-client directly.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly httpRequests = new TallyCounter('http_requests_total', 'HTTP requests by method, route and status', this.registry);
  private readonly httpDuration = new TallyHistogram(
    'http_request_duration_seconds',
    'HTTP request duration by route',
    this.registry,
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  );
  private readonly calls = new TallyCounter(
    'segment_events_total',
    'Segment calls received, by call type and outcome (accepted, duplicate, rejected)',
    this.registry,
  );
  private readonly ackLatency = new TallyHistogram(
    'segment_ack_latency_seconds',
    'Time from receiving a webhook request to answering it, by status',
    this.registry,
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  );
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
  private readonly replayFailed = new Gauge({
    name: 'replay_failed',
    help: 'A replay that ended in failure (1); 0 while it runs or once it completed',
    labelNames: ['replay'] as const,
    registers: [this.registry],
  });
  private readonly replayRatio = new Gauge({
    name: 'replay_progress_ratio',
    help: 'Share of a replay done, 0 to 1',
    labelNames: ['replay'] as const,
    registers: [this.registry],
  });

  constructor(sources: ScrapeSources, options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const perProjection = (name: string, help: string, value: (lag: ProjectionState) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['projection'] as const,
        registers: [this.registry],
        collect() {
          this.reset();
          for (const lag of sources.projectionLag()) this.set({ projection: lag.projection }, value(lag));
        },
      });
    perProjection('projection_lag_events', 'Events stored but not yet projected, per projection (upper bound, sampled)', (lag) => lag.events);
    perProjection('projection_lag_seconds', 'Age of the oldest stored event a projection has not handled yet (0 when caught up)', (lag) => lag.seconds);
    perProjection(
      'projection_index_build_failing',
      'A projection whose deferred secondary-index build keeps failing (1): served unindexed, retried with backoff',
      (lag) => (lag.indexes?.state === 'retrying' || lag.indexes?.state === 'failed' ? 1 : 0),
    );
    new Counter({
      name: 'thread_cpu_seconds_total',
      help: 'CPU time of the service\'s threads by role: main (webhooks, API), projector, writer:<file>, wal-checkpointer:<file>, other (V8 and libuv helpers); Linux only',
      labelNames: ['thread'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [thread, seconds] of threadCpuSeconds()) this.inc({ thread }, seconds);
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
    this.httpRequests.of(`${method} ${route} ${status}`, () => ({ method, route, status: String(status) })).inc();
    this.httpDuration.of(route, () => ({ route })).observe(seconds);
  }

  webhookAnswered(status: number, seconds: number): void {
    this.ackLatency.of(String(status), () => ({ status: String(status) })).observe(seconds);
  }

  callsSeen(type: string, outcome: CallOutcome, count = 1): void {
    if (count > 0) this.calls.of(`${type} ${outcome}`, () => ({ type, outcome })).inc(count);
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
    this.replayFailed.set({ replay }, progress.failed ? 1 : 0);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
