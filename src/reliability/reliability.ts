import type { Logger } from 'pino';
import type { IngestRequest, IngestSummary } from '../commands/ingestSegmentCalls';
import type { EventStore } from '../eventstore/port';
import { ServiceMetrics } from '../observability/metrics';
import { LagSubject, ProjectionLagMonitor } from '../observability/projectionLag';
import { DEAD_LETTER_STATUSES, DEAD_LETTERS } from '../projections/deadLetters/deadLetter';
import { DeadLetterRetry, RetryableRunner } from '../projections/deadLetters/deadLetterRetry';
import type { ReadStore } from '../readstore/port';
import { Admission, AdmissionLimits } from './admission';
import { HealthLimits, HealthMonitor } from './healthMonitor';

export type ReliabilityLimits = AdmissionLimits & Omit<HealthLimits, 'probeTimeoutMs'>;

/** Metrics, health, load shedding and dead-letter retries: built once per service, stopped with it. */
export interface Reliability {
  readonly metrics: ServiceMetrics;
  readonly health: HealthMonitor;
  readonly admission: Admission;
  readonly deadLetters: DeadLetterRetry;
  /** The ingest command behind the admission checks, counted and logged. */
  readonly ingest: (request: IngestRequest) => Promise<IngestSummary>;
  stop(): void;
}

export function startReliability(deps: {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly runners: readonly (RetryableRunner & LagSubject)[];
  readonly logger: Logger;
  readonly ingest: (request: IngestRequest) => Promise<IngestSummary>;
  /** Opens the sealed personal data of a stored call, for dead-letter retries. */
  readonly openCall?: (call: unknown) => Promise<unknown>;
  readonly limits: ReliabilityLimits;
  /** Probe interval; tests call `health.probe()` themselves and may set it high. */
  readonly probeIntervalMs?: number;
}): Reliability {
  const lag = new ProjectionLagMonitor(
    deps.runners,
    () => deps.eventStore.headPosition(),
  );
  const health = new HealthMonitor(deps.readStore, lag, { ...deps.limits, probeTimeoutMs: 2000 });
  const metrics = new ServiceMetrics({
    projectionLag: () => lag.lags(),
    deadLetters: async () => {
      const letters = await deps.readStore.collection(DEAD_LETTERS);
      return Promise.all(DEAD_LETTER_STATUSES.map(async (status) => ({ status, count: await letters.count({ status }) })));
    },
  });
  const admission = new Admission(health, metrics, deps.logger, deps.limits);
  const ingest = admission.guard(deps.ingest);
  const deadLetters = new DeadLetterRetry({ readStore: deps.readStore, runners: deps.runners, ingest, openCall: deps.openCall });
  health.start(deps.probeIntervalMs ?? 500);
  return { metrics, health, admission, deadLetters, ingest, stop: () => health.stop() };
}
