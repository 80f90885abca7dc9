import type { IngestRequest, IngestSummary } from '../commands/ingestSegmentCalls';
import { CALL_TYPES } from '../domain/segment/calls';
import { EventStoreUnavailableError } from '../eventstore/port';
import type { Logger } from 'pino';
import type { ServiceMetrics } from '../observability/metrics';
import type { HealthMonitor } from './healthMonitor';

export interface AdmissionLimits {
  /** Calls whose append may be pending at once; past it new requests get 429 (Segment retries them). */
  readonly maxInFlightCalls: number;
}

export const DEFAULT_ADMISSION_LIMITS: AdmissionLimits = { maxInFlightCalls: 20_000 };

/** The service cannot take the request now; the client should retry after `retryAfterSeconds`. */
export class OverloadedError extends Error {
  constructor(
    readonly status: 429 | 503,
    readonly reason: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'OverloadedError';
  }
}

type Ingest = (request: IngestRequest) => Promise<IngestSummary>;

/**
 * Bounds the work the webhook takes on: a request is refused (429) when the calls already waiting for a commit
 * would exceed the limit, or (503) while the event store is down or projections are too far behind. Refusing
 * early keeps the latency of accepted requests bounded (the webhook's own deadline answers 503 for an append
 * that still takes too long; its retry is then a duplicate, so nothing acknowledged is lost and nothing doubles).
 */
export class Admission {
  private inFlightCalls = 0;

  constructor(
    private readonly health: HealthMonitor,
    private readonly metrics: ServiceMetrics,
    private readonly logger: Logger,
    readonly limits: AdmissionLimits = DEFAULT_ADMISSION_LIMITS,
  ) {}

  get inFlight(): number {
    return this.inFlightCalls;
  }

  /**
   * Cheap check before the body is read: throws OverloadedError when the request cannot be taken anyway. While
   * the event store is marked down, the request waits for one shared probe, so recovery is seen at once. Returns
   * a promise only then: a healthy check is synchronous, as it runs before every ingest request.
   */
  precheck(): Promise<void> | undefined {
    if (!this.health.eventStoreUp) return this.health.probe().then(() => this.check());
    this.check();
    return undefined;
  }

  private check(): void {
    const refusal = this.health.refusalReason();
    if (refusal) throw this.refuse(503, 'degraded', refusal, 5);
    if (this.inFlightCalls >= this.limits.maxInFlightCalls) throw this.refuse(429, 'backlog', 'too many calls waiting to be stored', 1);
  }

  /**
   * Counts the calls of every ingest in flight and refuses one that would overflow the backlog. The store and lag
   * checks run once per request, before its body is read (`precheck`, called by the HTTP admission gate).
   */
  guard(ingest: Ingest): Ingest {
    return async (request) => {
      const calls = request.calls.length;
      if (this.inFlightCalls > 0 && this.inFlightCalls + calls > this.limits.maxInFlightCalls) {
        throw this.refuse(429, 'backlog', 'too many calls waiting to be stored', 1);
      }
      this.track(calls);
      let summary: IngestSummary;
      try {
        summary = await ingest(request);
      } catch (error) {
        this.track(-calls);
        if (error instanceof EventStoreUnavailableError) {
          this.health.eventStoreFailed();
          this.metrics.requestShed('event-store-unavailable');
        }
        throw error;
      }
      this.track(-calls);
      this.count(request, summary);
      this.log(request, summary);
      return summary;
    };
  }

  /** One line per request: its id, what happened, and the message ids (all of them at debug level). */
  private log(request: IngestRequest, summary: IngestSummary): void {
    const logger = this.logger;
    const line = () => ({ requestId: request.correlationId, workspaceId: request.workspaceId, accepted: summary.accepted, duplicates: summary.duplicates });
    if (summary.rejected.length > 0 && logger.isLevelEnabled('warn')) {
      const rejected = summary.rejected.map((r) => ({ index: r.index, messageId: r.messageId, errors: r.errors.slice(0, 3) }));
      logger.warn({ ...line(), rejected }, 'segment calls rejected');
    }
    // The line is built only when it is written: at the usual levels that is not per request.
    if (logger.isLevelEnabled('debug')) {
      logger.debug({ ...line(), messageIds: summary.stored.map((s) => s.messageId) }, 'segment calls stored');
    } else if (logger.isLevelEnabled('info')) {
      const messageIds = summary.stored.slice(0, 10).map((s) => s.messageId);
      logger.info({ ...line(), messageIds, more: Math.max(0, summary.stored.length - 10) }, 'segment calls stored');
    }
  }

  private track(delta: number): void {
    this.inFlightCalls += delta;
    this.metrics.setInFlightCalls(this.inFlightCalls);
  }

  private refuse(status: 429 | 503, reason: string, message: string, retryAfterSeconds: number): OverloadedError {
    this.metrics.requestShed(reason);
    return new OverloadedError(status, reason, message, retryAfterSeconds);
  }

  private count(request: IngestRequest, summary: IngestSummary): void {
    const typeAt = (index: number) => {
      const type = (request.calls[index] as { type?: unknown } | null)?.type;
      // Only Segment's call types become labels: anything a sender writes there would be a new metric series.
      return typeof type === 'string' && (CALL_TYPES as string[]).includes(type) ? type : 'invalid';
    };
    const { stored, rejected } = summary;
    if (stored.length === 1) this.metrics.callsSeen(stored[0]!.call.type, 'accepted'); // the single-call request
    else if (stored.length > 1) {
      const byType = new Map<string, number>();
      for (const call of stored) byType.set(call.call.type, (byType.get(call.call.type) ?? 0) + 1);
      for (const [type, n] of byType) this.metrics.callsSeen(type, 'accepted', n);
    }
    for (const rejection of rejected) this.metrics.callsSeen(typeAt(rejection.index), 'rejected');
    if (summary.duplicates === 0) return;
    const settled = new Set<number>();
    for (const call of stored) settled.add(call.index);
    for (const rejection of rejected) settled.add(rejection.index);
    for (let i = 0; i < request.calls.length; i++) if (!settled.has(i)) this.metrics.callsSeen(typeAt(i), 'duplicate');
  }
}
