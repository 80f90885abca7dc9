import type { Logger } from 'pino';
import type { Config } from './config';
import { ingestSegmentCalls, IngestRequest, IngestSummary } from './commands/ingestSegmentCalls';
import type { EventStore } from './eventstore/port';
import { attributionProjection } from './projections/attribution/attributionProjection';
import { AttributionQueries } from './projections/attribution/queries';
import { readModelCustomerDirectory } from './projections/attribution/readModelDirectory';
import { rejectedCallsProjection } from './projections/deadLetters/rejectedCallsProjection';
import { LiveMonitor } from './live/liveMonitor';
import { ProjectionRunner } from './projections/runner';
import { Reliability, startReliability } from './reliability/reliability';
import type { ReadStore } from './readstore/port';
import { openEventStore, openReadStore } from './stores';
import { bootstrapDefaultWorkspace, BootstrapResult } from './workspaces/bootstrap';
import { WorkspaceRegistry } from './workspaces/workspaceRegistry';

/** Everything the HTTP app needs, built once from the configuration. */
export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly workspaces: WorkspaceRegistry;
  readonly bootstrap: BootstrapResult;
  readonly queries: AttributionQueries;
  readonly projections: readonly ProjectionRunner[];
  /** What the live event monitor shows: each call's progress through ingestion and the projections. */
  readonly live: LiveMonitor;
  /** Metrics, health and load shedding, dead-letter retries. */
  readonly reliability: Reliability;
  ingest(request: IngestRequest): Promise<IngestSummary>;
  /** Resolves once every projection has processed every event stored before the call. */
  projectionsCaughtUp(): Promise<void>;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  readonly eventStore?: EventStore;
  readonly readStore?: ReadStore;
}

export async function startServices(config: Config, logger: Logger, overrides: ServiceOverrides = {}): Promise<Services> {
  const eventStore = overrides.eventStore ?? (await openEventStore(config));
  const readStore = overrides.readStore ?? (await openReadStore(config));
  const workspaces = await WorkspaceRegistry.open(readStore);
  const bootstrap = await bootstrapDefaultWorkspace(workspaces, config);

  const customers = readModelCustomerDirectory(
    readStore,
    (workspaceId) => workspaces.get(workspaceId)?.settings.autoCreateCustomers ?? true,
  );
  const live = new LiveMonitor(readStore, (error) => logger.warn({ err: error }, 'live monitor look-up failed'));
  const projections = [attributionProjection, rejectedCallsProjection].map(
    (projection) =>
      new ProjectionRunner(eventStore, readStore, projection, {
        onError: (error, context) => logger.warn({ err: error, ...context }, 'projection batch failed'),
        onBatch: live.projected(projection.name),
      }),
  );
  for (const runner of projections) await runner.start();
  const reliability = startReliability({
    eventStore,
    readStore,
    runners: projections,
    logger,
    ingest: (request) => live.ingest(request, (r) => ingestSegmentCalls({ eventStore, customers }, r)),
    limits: {
      maxInFlightCalls: config.maxInFlightCalls,
      maxLagEvents: config.maxProjectionLagEvents,
      maxLagSeconds: config.maxProjectionLagSeconds,
    },
  });

  return {
    config,
    logger,
    eventStore,
    readStore,
    workspaces,
    bootstrap,
    queries: new AttributionQueries(readStore),
    projections,
    live,
    reliability,
    ingest: reliability.ingest,
    projectionsCaughtUp: async () => {
      await Promise.all(projections.map((p) => p.caughtUp()));
    },
    close: async () => {
      reliability.stop();
      live.close();
      for (const runner of projections) await runner.stop();
      await eventStore.close();
      await readStore.close();
    },
  };
}
