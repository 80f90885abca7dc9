import type { Logger } from 'pino';
import type { EventStore } from '../eventstore/port';
import type { Projection } from '../projections/projection';
import { ReadModelVersion, ReadModelVersions, versionLayout, versionOfCollection } from '../projections/readModelVersion';
import { CHECKPOINTS } from '../projections/checkpoint';
import type { IndexBuildStatus } from '../projections/deferredIndexBuild';
import { BatchApplier, ProjectionRunner, RunnerOptions } from '../projections/runner';
import type { ReadStore } from '../readstore/port';

/**
 * The live runner of a rebuildable projection, and the versions of its collections. Reads follow the
 * ReadModelVersions pointer; `promote` makes a caught-up rebuild the live version and drops the old one once
 * no read is using it any more.
 */
export class VersionedProjection {
  private liveRunner?: ProjectionRunner;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    readonly versions: ReadModelVersions,
    readonly projection: Projection,
    private readonly options: {
      runner: RunnerOptions;
      onLiveBatch?: () => void;
      logger: Logger;
      dropGraceMs?: number;
      /** Where batches of `projection` in `layout` are projected, when not on this thread (src/projector). */
      applierFor?: (projection: Projection, layout: ReadModelVersion) => BatchApplier | undefined;
    },
  ) {}

  get live(): ProjectionRunner {
    if (!this.liveRunner) throw new Error(`projection ${this.projection.name} has not started`);
    return this.liveRunner;
  }

  /** Drops what an interrupted rebuild or preview left behind, then runs the current version. */
  async start(): Promise<void> {
    // A standby instance must not drop what the projecting instance is building.
    if (!this.standby) await this.dropOrphans();
    this.liveRunner = this.runnerFor(this.versions.current());
    await this.liveRunner.start();
  }

  caughtUp(): Promise<void> {
    return this.live.caughtUp();
  }

  /** The live version's deferred index build (health reports one that keeps failing). */
  indexBuild(): IndexBuildStatus | undefined {
    return this.live.indexBuild();
  }

  /** Another instance runs this projection (see RunnerOptions.standby). */
  get standby(): boolean {
    return this.options.runner.standby === true;
  }

  async stop(): Promise<void> {
    await this.liveRunner?.stop();
  }

  /**
   * A runner writing `layout`'s collections. The service's batch hooks (live monitor, alert feed) hear only the
   * live runner: a rebuild's batches are history, not news.
   */
  runnerFor(layout: ReadModelVersion, extra: Partial<RunnerOptions> = {}, projection = this.projection): ProjectionRunner {
    const runner: ProjectionRunner = new ProjectionRunner(this.eventStore, this.readStore, projection, {
      ...this.options.runner,
      applier: this.options.applierFor?.(projection, layout),
      ...extra,
      checkpointId: layout.checkpointId,
      physicalName: layout.physicalName,
      onBatch: (events, checkpoint) => {
        extra.onBatch?.(events, checkpoint);
        if (runner !== this.liveRunner) return;
        this.options.runner.onBatch?.(events, checkpoint);
        this.options.onLiveBatch?.();
      },
    });
    return runner;
  }

  /** Where the live version stands, for lag figures and the rebuild's switch-over. */
  get position(): number {
    return this.live.position;
  }

  /** Dead-letter retries run between the live runner's batches, on the live version's collections. */
  runExclusive<T>(work: (physicalName: (collection: string) => string) => Promise<T>): Promise<T> {
    return this.live.runExclusive(work);
  }

  /**
   * Switches reads (and the live listeners) to a caught-up rebuild; drops the old version when reads drained.
   * Once the pointer is written the switch has happened: a failure to drop the old version afterwards (the store
   * unavailable, its file locked past the wait) is logged, not thrown, and the collections left behind are
   * dropped as orphans at the next start.
   */
  async promote(runner: ProjectionRunner, version: number): Promise<void> {
    const old = this.versions.current();
    const oldRunner = this.liveRunner;
    await this.versions.switchTo(version);
    this.liveRunner = runner;
    this.options.onLiveBatch?.();
    await oldRunner?.stop();
    await this.versions.drained(old.version);
    // Other instances follow the pointer on a timer: give them time to stop reading the old version.
    if (this.options.dropGraceMs) await new Promise((resolve) => setTimeout(resolve, this.options.dropGraceMs));
    try {
      await this.dropVersion(old);
    } catch (error) {
      const context = { err: error, projection: this.projection.name, version: old.version };
      this.options.logger.warn(context, 'could not drop the replaced read model version; it is dropped at the next start');
    }
    this.options.logger.info({ projection: this.projection.name, from: old.version, to: version }, 'read model version switched');
  }

  /** Removes a version's collections and checkpoint. */
  async dropVersion(layout: Pick<ReadModelVersion, 'physicalName' | 'checkpointId'>): Promise<void> {
    for (const { name } of this.projection.collections) await this.readStore.dropCollection(layout.physicalName(name));
    await (await this.readStore.collection(CHECKPOINTS)).delete(layout.checkpointId);
  }

  /** The next free version number: one above the current and above anything a crash may have left. */
  nextVersion(): number {
    return this.versions.current().version + 1;
  }

  private async dropOrphans(): Promise<void> {
    const current = this.versions.current().version;
    const ours = new Set(this.projection.collections.map((c) => c.name));
    const orphans = new Set<number>();
    const scratch = new Set<string>();
    for (const physical of await this.readStore.listCollections()) {
      const preview = /^(p[0-9a-f]{8}_)(.+)$/.exec(physical);
      if (preview && ours.has(preview[2]!)) scratch.add(preview[1]!);
      const version = versionOfCollection(physical);
      const base = version === 1 ? physical : physical.replace(/^v\d+_/, '');
      if (version !== current && ours.has(base)) orphans.add(version);
    }
    for (const version of orphans) {
      this.options.logger.warn({ projection: this.projection.name, version }, 'dropping an unfinished or replaced read model version');
      await this.dropVersion(versionLayout(this.projection.name, version));
    }
    for (const prefix of scratch) {
      await this.dropVersion({ physicalName: (name) => `${prefix}${name}`, checkpointId: `${this.projection.name}@preview-${prefix.slice(1, -1)}` });
    }
  }
}
