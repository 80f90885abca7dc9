import type { ProjectionLag, ProjectionLagMonitor } from '../observability/projectionLag';
import type { ReadStore } from '../readstore/port';

export interface HealthLimits {
  /** Projection lag (events) past which the webhook answers 503: read models are too far behind. */
  readonly maxLagEvents: number;
  readonly maxLagSeconds: number;
  /** A store that does not answer a probe within this is counted as down. */
  readonly probeTimeoutMs: number;
}

export const DEFAULT_HEALTH_LIMITS: HealthLimits = { maxLagEvents: 200_000, maxLagSeconds: 120, probeTimeoutMs: 2000 };

export type StoreState = 'up' | 'down';

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly ready: boolean;
  readonly eventStore: StoreState;
  readonly readStore: StoreState;
  readonly projections: readonly ProjectionLag[];
  /**
   * What is wrong, empty when nothing is: why the service is not ready, and what degrades it without stopping
   * ingestion (the read store unreachable, an index build that keeps failing).
   */
  readonly reasons: readonly string[];
}

/**
 * Knows whether the stores answer and how far projections trail, from periodic probes (never on the request
 * path). The webhook consults it to answer 503 at once instead of queueing work it cannot finish.
 */
export class HealthMonitor {
  private eventStoreState: StoreState = 'up';
  private readStoreState: StoreState = 'up';
  private timer?: NodeJS.Timeout;
  private probing?: Promise<void>;

  constructor(
    private readonly readStore: ReadStore,
    readonly lag: ProjectionLagMonitor,
    readonly limits: HealthLimits = DEFAULT_HEALTH_LIMITS,
  ) {}

  /** Probes every `intervalMs` until stopped; the timer does not keep the process alive. */
  start(intervalMs = 500): void {
    this.timer = setInterval(() => void this.probe(), intervalMs);
    this.timer.unref();
    void this.probe();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One probe of both stores and of the projection lag; concurrent calls share it. */
  probe(): Promise<void> {
    this.probing ??= this.runProbe().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async runProbe(): Promise<void> {
    const [events, reads] = await Promise.all([
      answers(this.lag.sample(), this.limits.probeTimeoutMs),
      answers(this.readStore.ping(), this.limits.probeTimeoutMs),
    ]);
    this.eventStoreState = events ? 'up' : 'down';
    this.readStoreState = reads ? 'up' : 'down';
  }

  /** An append just failed for want of the store: stop taking appends until a probe sees it again. */
  eventStoreFailed(): void {
    this.eventStoreState = 'down';
    void this.probe();
  }

  get eventStoreUp(): boolean {
    return this.eventStoreState === 'up';
  }

  /** Why new calls should be refused for now (503), or undefined when they can be taken. */
  refusalReason(): string | undefined {
    if (!this.eventStoreUp) return 'event store unavailable';
    const behind = this.lag.lags().find((l) => l.events > this.limits.maxLagEvents || l.seconds > this.limits.maxLagSeconds);
    if (behind) return `projection ${behind.projection} is ${behind.events} events / ${behind.seconds.toFixed(1)} s behind`;
    return undefined;
  }

  report(): HealthReport {
    const projections = this.lag.lags();
    const reasons: string[] = [];
    const refusal = this.refusalReason();
    if (refusal) reasons.push(refusal);
    if (this.readStoreState === 'down') reasons.push('read store unavailable (projections paused)');
    for (const p of projections) if (p.failed) reasons.push(`projection ${p.projection} stopped`);
    for (const p of projections) {
      const reason = indexReason(p);
      if (reason) reasons.push(reason);
    }
    // A failing index build degrades reads (slower, unindexed), not ingestion: it leaves `ready` alone.
    return {
      status: reasons.length === 0 ? 'ok' : 'degraded',
      ready: refusal === undefined && !projections.some((p) => p.failed),
      eventStore: this.eventStoreState,
      readStore: this.readStoreState,
      projections,
      reasons,
    };
  }
}

/** Why a projection's reads are degraded by its index build, or undefined when they are not. */
function indexReason({ projection, indexes }: ProjectionLag): string | undefined {
  if (!indexes || (indexes.state !== 'retrying' && indexes.state !== 'failed')) return undefined;
  const next = indexes.state === 'retrying' ? ', retrying with backoff' : '';
  return (
    `projection ${projection}: secondary indexes not built after ${indexes.attempts} failed attempt(s) since ${indexes.failingSince}` +
    ` (reads served unindexed${next}): ${indexes.error}`
  );
}

/** True when the promise resolves within the timeout. */
async function answers(promise: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([promise.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
