import type { Logger } from 'pino';
import type { Config } from './config';
import { ingestSegmentCalls, IngestRequest, IngestSummary } from './commands/ingestSegmentCalls';
import { forgetIdsOf } from './domain/ids';
import type { SegmentCall } from './domain/segment/calls';
import type { EventStore } from './eventstore/port';
import { UnresolvedQueries } from './projections/attribution/unresolvedQueries';
import { CustomerQueries } from './projections/accounts/customerQueries';
import { StakeholderQueries } from './projections/stakeholders/queries';
import { openKeyStore } from './privacy/openKeyStore';
import { PersonalDataCipher } from './privacy/personalDataCipher';
import { AttributionQueries } from './projections/attribution/queries';
import { readModelCustomerDirectory } from './projections/attribution/readModelDirectory';
import { LiveMonitor } from './live/liveMonitor';
import { serviceProjections } from './projections/catalogue';
import { ProjectionRunner, RunnerOptions } from './projections/runner';
import { listenForThreadNames } from './observability/threadCpu';
import { ProjectorThread } from './projector/projectorThread';
import { Reliability, startReliability } from './reliability/reliability';
import type { ReadStore } from './readstore/port';
import { startSignalsModule, SignalsModule } from './signalsModule';
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
  /** Customers, stakeholders and unresolved calls (identity resolution read models). */
  readonly customers: CustomerQueries;
  readonly stakeholders: StakeholderQueries;
  readonly unresolved: UnresolvedQueries;
  /** Seals personal data at ingest and opens it for readers (crypto-shredding, see README). */
  readonly cipher: PersonalDataCipher;
  readonly projections: readonly RunningProjection[];
  /** The projector thread, when batches are projected there (see src/projector). */
  readonly projector?: ProjectorThread;
  /** Signals, health, alerts, and replays of the attribution read models under new mappings. */
  readonly signals: SignalsModule;
  /** What the live event monitor shows: each call's progress through ingestion and the projections. */
  readonly live: LiveMonitor;
  /** Metrics, health and load shedding, dead-letter retries. */
  readonly reliability: Reliability;
  ingest(request: IngestRequest): Promise<IngestSummary>;
  /** Resolves once every projection has processed every event stored before the call. */
  projectionsCaughtUp(): Promise<void>;
  close(): Promise<void>;
}

/** A projection runner, or the live version of a rebuildable one (attribution: see src/replay). */
export type RunningProjection = Pick<ProjectionRunner, 'projection' | 'position' | 'caughtUp' | 'runExclusive' | 'stop' | 'indexBuild'>;

export interface ServiceOverrides {
  readonly eventStore?: EventStore;
  readonly readStore?: ReadStore;
}

export async function startServices(config: Config, logger: Logger, overrides: ServiceOverrides = {}): Promise<Services> {
  listenForThreadNames(); // before the stores start their threads: each names itself once, at its start
  const eventStore = overrides.eventStore ?? (await openEventStore(config));
  const readStore = overrides.readStore ?? (await openReadStore(config, { walCheckpoints: 'background' }));
  const workspaces = await WorkspaceRegistry.open(readStore);
  const bootstrap = await bootstrapDefaultWorkspace(workspaces, config);

  const keyStore = await openKeyStore(config);
  const cipher = new PersonalDataCipher(keyStore);
  const live = new LiveMonitor(readStore, (error) => logger.warn({ err: error }, 'live monitor look-up failed'));
  const runnerOptions = (name: string): RunnerOptions => ({
    onError: (error, context) => logger.warn({ err: error, ...context }, 'projection batch failed'),
    onBatch: live.projected(name),
    standby: !config.runProjections,
    batchSize: config.projectionBatchSize,
  });
  // Attribution and the read models that follow it are rebuilt together, in versions (see src/replay).
  const { attribution, others } = serviceProjections(cipher);
  // The projector thread opens the engines itself, so it is used only when they come from the configuration.
  const projector =
    config.runProjections && config.projectorThread && !overrides.readStore ? new ProjectorThread(config, cipher, eventStore) : undefined;
  const signals = await startSignalsModule({
    eventStore,
    readStore,
    attribution,
    runner: runnerOptions(attribution.name),
    workspaceIds: () => workspaces.all().map((w) => w._id),
    alertWebhook:
      config.alertWebhookUrl && config.runProjections
        ? { url: config.alertWebhookUrl, secret: config.alertWebhookSecret, retryBaseMs: config.alertWebhookRetryBaseMs }
        : undefined,
    dropGraceMs: config.readModelDropGraceMs,
    logger,
    // Live and rebuilt versions of the attribution projection; a preview (other mappings) stays on this thread.
    applierFor: (projection, layout) => (projection === attribution ? projector?.applier(projection, layout.version) : undefined),
  });
  live.useCollectionNames((collection) => signals.versions.physicalName(collection));
  const customers = readModelCustomerDirectory(
    readStore,
    (workspaceId) => workspaces.get(workspaceId)?.settings.autoCreateCustomers ?? true,
    signals.versions,
  );
  // A removed workspace's caches go with it, here and on the projector thread, instead of staying until a restart.
  workspaces.onRemoved((workspaceId) => {
    forgetIdsOf(workspaceId);
    cipher.forgetWorkspace(workspaceId);
    customers.forgetWorkspace?.(workspaceId);
    live.feed.forgetWorkspace(workspaceId);
    projector?.forgetWorkspace(workspaceId);
  });
  const runners = others.map(
    (projection) =>
      new ProjectionRunner(eventStore, readStore, projection, { ...runnerOptions(projection.name), applier: projector?.applier(projection, 1) }),
  );
  for (const runner of runners) await runner.start();
  const projections: RunningProjection[] = [signals.attribution, ...runners];
  const stopFollowing = followOtherInstances(config, workspaces, signals, logger);
  const reliability = startReliability({
    eventStore,
    readStore,
    runners: projections,
    logger,
    ingest: (request) => live.ingest(request, (r) => ingestSegmentCalls({ eventStore, customers, cipher }, r)),
    openCall: (call) => cipher.openCall(call as SegmentCall),
    limits: {
      maxInFlightCalls: config.maxInFlightCalls,
      maxLagEvents: config.maxProjectionLagEvents,
      maxLagSeconds: config.maxProjectionLagSeconds,
    },
  });

  signals.replays.onProgress(({ id, progress, state }) =>
    reliability.metrics.replayProgress(id, { processed: progress.eventsDone, total: progress.eventsTotal, failed: state === 'failed' }),
  );

  return {
    config,
    logger,
    eventStore,
    readStore,
    workspaces,
    bootstrap,
    queries: new AttributionQueries(readStore, signals.versions),
    customers: new CustomerQueries(readStore, signals.versions),
    stakeholders: new StakeholderQueries(readStore, signals.versions),
    unresolved: new UnresolvedQueries(readStore, signals.versions),
    cipher,
    projections,
    projector,
    signals,
    live,
    reliability,
    ingest: reliability.ingest,
    projectionsCaughtUp: async () => {
      await Promise.all(projections.map((p) => p.caughtUp()));
    },
    close: async () => {
      stopFollowing();
      reliability.stop();
      live.close();
      // First, so the runners' batches in flight end within its grace period and stopping them does not wait
      // for a long catch-up batch.
      const projectorClosed = projector?.close();
      await signals.stop();
      for (const runner of runners) await runner.stop();
      await projectorClosed;
      await eventStore.close();
      await readStore.close();
      await keyStore.close();
    },
  };
}

/** How often an instance looks at what other instances changed (credentials, the read-model version, alerts). */
const FOLLOW_INTERVAL_MS = 2000;

/**
 * Several instances share the engines. Each reloads the workspaces (a key rotated through another instance is
 * honoured here too). One that does not run the projections also follows the read-model version pointer (a
 * replay switches it elsewhere) and polls for new alerts (no projection batch here tells it).
 */
function followOtherInstances(config: Config, workspaces: WorkspaceRegistry, signals: SignalsModule, logger: Logger): () => void {
  const onError = (error: unknown) => logger.warn({ err: error }, 'could not refresh shared state');
  const stops = [workspaces.follow(FOLLOW_INTERVAL_MS, onError)];
  if (!config.runProjections) {
    stops.push(signals.versions.follow(FOLLOW_INTERVAL_MS, onError));
    const alerts = setInterval(() => signals.alertFeed.poke(), FOLLOW_INTERVAL_MS);
    alerts.unref();
    stops.push(() => clearInterval(alerts));
  }
  return () => stops.forEach((stop) => stop());
}
