import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EventStore } from '../eventstore/port';
import type { IndexBuildPolicy } from '../projections/deferredIndexBuild';
import type { HealthDoc } from '../projections/health/documents';
import { CUSTOMER_HEALTH } from '../projections/health/documents';
import { versionLayout } from '../projections/readModelVersion';
import { ProjectionsElsewhereError, ProjectionRunner } from '../projections/runner';
import type { ReadStore } from '../readstore/port';
import { diffHealth } from './healthDiff';
import { progressOf } from './progress';
import type { ReplayStatus } from './replayJob';
import { seedCurrentMappings } from './seedMappings';
import type { VersionedProjection } from './versionedProjection';

/** One rebuild at a time: a second request while one runs is refused. */
export class ReplayInProgressError extends Error {
  constructor(readonly running: string) {
    super(`replay ${running} is still running`);
    this.name = 'ReplayInProgressError';
  }
}

/** Rounds of "catch up, compare with the live version" before switching anyway (live traffic never pauses). */
const MAX_CATCH_UP_ROUNDS = 20;
const KEPT_JOBS = 20;

/**
 * A replay switches only to a version whose indexes exist, so a build that keeps failing (a full disk, a corrupt
 * file) must end it: five attempts over about 15 s of backoff ride out a lock or a brief outage, then the replay
 * fails with the error and the live version keeps serving.
 */
const REPLAY_INDEX_BUILD: IndexBuildPolicy = { maxAttempts: 5, backoffMs: (attempt) => Math.min(30_000, 1000 * 2 ** (attempt - 1)) };

type Job = { status: ReplayStatus; runner?: ProjectionRunner; finished: Promise<void> };

/**
 * Rebuilds attribution, signals, health and alerts from the whole history under the current mappings into a new
 * version, while reads keep using the current one. Once the new version has caught up with the live one, reads
 * switch to it (one pointer write) and the old version is dropped.
 */
export class ReplayManager {
  private readonly jobs = new Map<string, Job>();
  private running?: string;
  /**
   * Runs once the rebuild has caught up, before it catches up again with the live version and switches. Tests use
   * it to make calls arrive in the middle of a replay deterministically.
   */
  beforeSwitch?: () => Promise<void>;
  /** Retries of the new version's index build; tests shorten the backoff. */
  indexBuildRetry: IndexBuildPolicy = REPLAY_INDEX_BUILD;

  constructor(
    private readonly deps: {
      eventStore: EventStore;
      readStore: ReadStore;
      target: VersionedProjection;
      workspaceIds: () => readonly string[];
      logger: Logger;
    },
  ) {}

  private readonly progressListeners = new Set<(status: ReplayStatus) => void>();

  /** Told after every batch of a running replay, and when it ends (metrics follow replays this way). */
  onProgress(listener: (status: ReplayStatus) => void): void {
    this.progressListeners.add(listener);
  }

  start(workspaceId: string): ReplayStatus {
    if (this.deps.target.standby) throw new ProjectionsElsewhereError(this.deps.target.projection.name);
    if (this.running) throw new ReplayInProgressError(this.running);
    const id = randomUUID();
    const fromVersion = this.deps.target.versions.current().version;
    const status: ReplayStatus = {
      id,
      workspaceId,
      state: 'running',
      fromVersion,
      toVersion: this.deps.target.nextVersion(),
      startedAt: new Date().toISOString(),
      finishedAt: null,
      progress: progressOf({ eventsDone: 0, startPosition: 0, position: 0, headAtStart: 0, elapsedMs: 0, caughtUp: false }),
      changes: null,
      error: null,
      indexes: null,
    };
    this.running = id;
    const job: Job = { status, runner: undefined, finished: Promise.resolve() };
    this.jobs.set(id, job);
    job.finished = this.run(job).finally(() => {
      this.running = undefined;
      this.forgetOldJobs();
    });
    return status;
  }

  status(id: string, workspaceId: string): ReplayStatus | undefined {
    const job = this.jobs.get(id);
    return job && job.status.workspaceId === workspaceId ? this.view(job) : undefined;
  }

  /** The workspace's most recent replay (running or ended), for "replay status" questions. */
  latest(workspaceId: string): ReplayStatus | undefined {
    let found: Job | undefined;
    for (const job of this.jobs.values()) if (job.status.workspaceId === workspaceId) found = job;
    return found && this.view(found);
  }

  /** A running job's status with its index build as it stands now (an ended job's was kept when it ended). */
  private view(job: Job): ReplayStatus {
    const indexes = job.status.finishedAt === null ? job.runner?.indexBuild() : undefined;
    return indexes ? { ...job.status, indexes } : job.status;
  }

  /** Resolves when the job has ended (switched and dropped the old version, or failed). */
  async finished(id: string): Promise<ReplayStatus | undefined> {
    const job = this.jobs.get(id);
    await job?.finished;
    return job && this.view(job);
  }

  /** Stops a running rebuild (service shutdown); its collections are dropped at the next start. */
  async stop(): Promise<void> {
    const job = this.running ? this.jobs.get(this.running) : undefined;
    await job?.runner?.stop();
  }

  private async run(job: Job): Promise<void> {
    const { eventStore, readStore, target, logger } = this.deps;
    const layout = versionLayout(target.projection.name, job.status.toVersion);
    const started = Date.now();
    try {
      await target.dropVersion(layout); // leftovers of an earlier attempt at this version number
      await seedCurrentMappings(eventStore, readStore, this.deps.workspaceIds(), layout.physicalName);
      const headAtStart = Number(await eventStore.headPosition());
      // Counted as batches commit: a batch commits once, however often it was attempted.
      let eventsDone = 0;
      let position = 0;
      const update = (caughtUp: boolean) => {
        job.status = {
          ...job.status,
          progress: progressOf({
            eventsDone,
            startPosition: 0,
            position,
            headAtStart,
            elapsedMs: Date.now() - started,
            caughtUp,
          }),
        };
        for (const listener of this.progressListeners) listener(job.status);
      };
      const onBatch = (events: readonly unknown[], checkpoint: number) => {
        eventsDone += events.length;
        position = checkpoint;
        update(false);
      };
      const runner = target.runnerFor(layout, {
        onBatch,
        backoffMs: (attempt) => Math.min(1000, 20 * 2 ** attempt),
        indexBuild: this.indexBuildRetry,
      });
      job.runner = runner;
      await runner.start();
      await runner.caughtUp();
      await this.beforeSwitch?.();
      for (let round = 0; round < MAX_CATCH_UP_ROUNDS; round++) {
        await runner.caughtUp();
        if (runner.position >= target.live.position) break;
      }
      update(true);
      job.status = { ...job.status, state: 'switching' };
      const changes = await this.changesFor(job.status.workspaceId, target.versions.current().physicalName, layout.physicalName);
      await target.promote(runner, job.status.toVersion);
      job.status = { ...job.status, state: 'completed', changes, indexes: runner.indexBuild() ?? null, finishedAt: new Date().toISOString() };
      logger.info({ replay: job.status.id, progress: job.status.progress }, 'replay completed');
    } catch (error) {
      logger.error({ err: error, replay: job.status.id }, 'replay failed');
      const indexes = job.runner?.indexBuild() ?? null;
      await job.runner?.stop().catch(() => undefined);
      // Reads never switched to the new version: the live one keeps serving. The new one is dropped now rather
      // than left for the next start's clean-up: nothing will ever read it (a new replay starts from an empty
      // version), and the failure may be a full disk its space is needed on. Should the drop fail too, its
      // collections are orphans the next start drops.
      if (target.versions.current().version !== job.status.toVersion) await target.dropVersion(layout).catch(() => undefined);
      job.status = { ...job.status, state: 'failed', error: (error as Error).message, indexes, finishedAt: new Date().toISOString() };
    }
    for (const listener of this.progressListeners) listener(job.status);
  }

  private async changesFor(workspaceId: string, before: (n: string) => string, after: (n: string) => string) {
    const healthOf = async (physical: (n: string) => string) =>
      (await this.deps.readStore.collection<HealthDoc>(physical(CUSTOMER_HEALTH))).find({ workspaceId });
    return diffHealth(await healthOf(before), await healthOf(after));
  }

  private forgetOldJobs(): void {
    const ids = [...this.jobs.keys()];
    for (const id of ids.slice(0, Math.max(0, ids.length - KEPT_JOBS))) if (id !== this.running) this.jobs.delete(id);
  }
}
