import type { Logger } from 'pino';
import { AlertFeed, AlertListener } from './alerts/alertFeed';
import { AlertWebhook, AlertWebhookOptions } from './alerts/alertWebhook';
import { DeliveryCursor } from './alerts/deliveryCursor';
import type { MappingSet } from './domain/signals/mappingRules';
import type { EventStore } from './eventstore/port';
import { HealthQueries } from './projections/health/queries';
import type { Projection } from './projections/projection';
import { ReadModelVersion, ReadModelVersions } from './projections/readModelVersion';
import type { BatchApplier, RunnerOptions } from './projections/runner';
import { SignalQueries } from './projections/signals/queries';
import type { ReadStore } from './readstore/port';
import { previewMappings, PreviewResult } from './replay/preview';
import { ReplayManager } from './replay/replayManager';
import { VersionedProjection } from './replay/versionedProjection';

/** Signals, health, alerts and their rebuilds: what the service composes and the HTTP routes use. */
export interface SignalsModule {
  readonly versions: ReadModelVersions;
  /** The attribution projection (with its listeners) in its current version: a runner-like handle. */
  readonly attribution: VersionedProjection;
  readonly signals: SignalQueries;
  readonly health: HealthQueries;
  readonly alertFeed: AlertFeed;
  readonly alertWebhook?: AlertWebhook;
  readonly replays: ReplayManager;
  preview(workspaceId: string, proposed: MappingSet): Promise<PreviewResult>;
  stop(): Promise<void>;
}

export async function startSignalsModule(deps: {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  /** `createAttributionProjection([...listeners])`: the projection whose versions replays build. */
  readonly attribution: Projection;
  readonly runner: RunnerOptions;
  readonly workspaceIds: () => readonly string[];
  /** Set only where the projections run: one sender per deployment, one stored cursor. */
  readonly alertWebhook?: AlertWebhookOptions;
  readonly logger: Logger;
  /** Wait before dropping a replaced read-model version (instances that follow the pointer on a timer). */
  readonly dropGraceMs?: number;
  /** Where attribution batches are projected when not on this thread (the projector thread). */
  readonly applierFor?: (projection: Projection, layout: ReadModelVersion) => BatchApplier | undefined;
}): Promise<SignalsModule> {
  const { eventStore, readStore, logger } = deps;
  const versions = await ReadModelVersions.open(readStore, deps.attribution.name);
  const health = new HealthQueries(readStore, versions);
  const alertWebhook = deps.alertWebhook
    ? new AlertWebhook(deps.alertWebhook, health, new DeliveryCursor(readStore, 'webhook'), logger)
    : undefined;
  // The webhook reads the alerts itself, from its stored cursor: the feed only tells it there is news.
  const sinks: AlertListener[] = alertWebhook ? [() => alertWebhook.poke()] : [];
  const alertFeed = new AlertFeed(health, sinks, logger);
  const attribution = new VersionedProjection(eventStore, readStore, versions, deps.attribution, {
    runner: deps.runner,
    onLiveBatch: () => alertFeed.poke(),
    logger,
    dropGraceMs: deps.dropGraceMs,
    applierFor: deps.applierFor,
  });
  // The feed first: alerts the live runner raises while it catches up after a restart are news to push.
  await alertFeed.start();
  await alertWebhook?.start();
  await attribution.start();
  const replays = new ReplayManager({ eventStore, readStore, target: attribution, workspaceIds: deps.workspaceIds, logger });
  return {
    versions,
    attribution,
    signals: new SignalQueries(readStore, versions),
    health,
    alertFeed,
    alertWebhook,
    replays,
    preview: (workspaceId, proposed) => previewMappings({ eventStore, readStore, target: attribution, health }, workspaceId, proposed),
    stop: async () => {
      await replays.stop();
      await attribution.stop();
      await alertFeed.settled();
      await alertWebhook?.stop();
    },
  };
}
