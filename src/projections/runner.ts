import type { EventStore, RecordedEvent, Subscription } from '../eventstore/port';
import type { ReadStore, WriteOp } from '../readstore/port';
import type { Projection } from './projection';
import { DEFAULT_PROJECTION_BATCH_SIZE } from './batchSize';
import { HandedOver, PipelinedCommits } from './pipelinedCommits';
import { isolatePoison, isTransient, PoisonSteps } from './poisonIsolation';
import { CheckpointDoc, RunnerCheckpoint } from './checkpoint';
import { eventsProjectedOnce, projectBatch, withCheckpoint } from './projectBatch';
import { DEAD_LETTERS, deadLetterOf } from './deadLetters/deadLetter';
import { DeferredIndexBuild, IndexBuildPolicy, IndexBuildStatus } from './deferredIndexBuild';


/** Work that needs the projection's runner, asked of an instance where it only stands by (RUN_PROJECTIONS=false). */
export class ProjectionsElsewhereError extends Error {
  constructor(projection: string) {
    super(`projection ${projection} runs on another instance (this one has RUN_PROJECTIONS=false); ask that one`);
    this.name = 'ProjectionsElsewhereError';
  }
}

export interface RunnerOptions {
  /** Name of the checkpoint; defaults to the projection's name. */
  readonly checkpointId?: string;
  /** Maps the projection's collection names to physical ones (a rebuild writes to a new version). */
  readonly physicalName?: (collection: string) => string;
  readonly batchSize?: number;
  /** Attempts of a failing batch before its events are tried one by one and the poison ones dead-lettered. */
  readonly attemptsBeforeDeadLetter?: number;
  readonly onError?: (error: unknown, context: { projection: string; attempt: number }) => void;
  readonly onBatch?: (events: readonly RecordedEvent[], checkpoint: number) => void;
  /**
   * Another instance runs this projection: this one keeps its hands off the documents (no subscription), reports
   * nothing to wait for, and refuses exclusive work.
   */
  readonly standby?: boolean;
  /** Waits between attempts; tests and replays may shorten it. */
  readonly backoffMs?: (attempt: number) => number;
  /**
   * Projects a batch and writes its effects with the checkpoint somewhere else (the projector thread, see
   * src/projector). Omitted: on this thread, with this runner's read store.
   */
  readonly applier?: BatchApplier;
  /**
   * Retries of the deferred index build (with an applier). Default: the live policy, never giving up (see
   * DeferredIndexBuild.awaited); a replay bounds the attempts so that it fails instead of running for ever.
   */
  readonly indexBuild?: IndexBuildPolicy;
}

/** Where a runner's batches are projected and written, when not on the runner's thread (src/projector). */
export interface BatchApplier {
  /** Projects `events` and writes their effects together with `checkpoint`, or fails without writing either. */
  apply(events: readonly RecordedEvent[], checkpoint: CheckpointDoc): Promise<void>;
  /**
   * Creates the projection's secondary indexes there (a no-op for those that exist). A runner with an applier
   * leaves them until it has caught up: from the beginning (a rebuild, a first start over a long history),
   * building an index over a finished table is much cheaper than maintaining it through every insert
   * (1,000,000-event replay: about 9 s of CPU for the build against about 32 s of upkeep); after a restart in the
   * middle of such a catch-up, the build still happens there, not on the service's thread. A replay switches only
   * to a version whose indexes exist; the live version on a first start is read unindexed until then (and for as
   * long as the build keeps failing: see DeferredIndexBuild).
   */
  buildIndexes(): Promise<void>;
  /**
   * Optional: hands a catch-up batch over and answers twice, once it is projected and once it is committed (or
   * failed), so the runner hands the next batch over while this one is written (see PipelinedCommits). A batch
   * projected on top of one that then fails to commit fails too, without writing.
   */
  submit?(events: readonly RecordedEvent[], checkpoint: CheckpointDoc): HandedOver;
}

/** Events handled between two turns of the event loop. */
const YIELD_EVERY_EVENTS = 25;

const defaultBackoff = (attempt: number) => Math.min(5000, 50 * 2 ** (attempt - 1));

/**
 * Runs one projection from its stored checkpoint: a catch-up subscription hands over batches; each batch is
 * handled in a unit of work and written together with the new checkpoint. A store outage pauses the runner
 * until the store is back. An event whose handling keeps failing is set aside as a dead letter, with the error
 * and the event, and the others go on.
 */
export class ProjectionRunner {
  private subscription?: Subscription;
  /** Batches and `runExclusive` work take turns on this chain, so they never interleave. */
  private turns: Promise<unknown> = Promise.resolve();
  private readonly checkpoint: RunnerCheckpoint;
  private stopping = false;
  /** The index build that waits for the first catch-up; unset when the indexes are created at start. */
  private indexes?: DeferredIndexBuild;
  /** Catch-up batches committed while the next is projected (with an applier that can: BatchApplier.submit). */
  private readonly pipeline = new PipelinedCommits({
    markCommitted: (events) => this.markCommitted(events),
    redo: (events) => this.handleBatch(events),
    reportFailure: (error) => {
      this.checkpoint.doubt();
      this.options.onError?.(error, { projection: this.projection.name, attempt: 1 });
    },
  });
  private readonly physicalName: (collection: string) => string;
  /** See projectBatch.ts; for batches projected on this thread (the projector thread decides for its own). */
  private readonly eventsProjectedOnce: boolean;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    readonly projection: Projection,
    private readonly options: RunnerOptions = {},
  ) {
    this.checkpoint = new RunnerCheckpoint(readStore, options.checkpointId ?? projection.name);
    this.physicalName = options.physicalName ?? ((name) => name);
    this.eventsProjectedOnce = eventsProjectedOnce(eventStore, readStore);
  }

  get position(): number {
    return this.checkpoint.position;
  }

  async start(): Promise<void> {
    await this.checkpoint.load();
    const { applier } = this.options;
    // With a thread of its own to build them on: indexes once caught up (see BatchApplier).
    const deferIndexes = applier !== undefined && !this.options.standby;
    for (const { name, indexes } of this.projection.collections) {
      await this.readStore.collection(this.physicalName(name), deferIndexes ? [] : indexes);
    }
    await this.readStore.collection(DEAD_LETTERS, [['workspaceId', 'failedAt']]);
    if (this.options.standby) return;
    const subscription = this.eventStore.subscribeToAll(
      { after: BigInt(this.checkpoint.position), streamPrefixes: this.projection.streamPrefixes, batchSize: this.options.batchSize ?? DEFAULT_PROJECTION_BATCH_SIZE },
      (events) => this.inTurn(() => this.handle(events)),
    );
    this.subscription = subscription;
    subscription.done.catch((error) => {
      if (!this.stopping) this.options.onError?.(error, { projection: this.projection.name, attempt: 0 });
    });
    if (deferIndexes) {
      const name = this.projection.name;
      const indexes = new DeferredIndexBuild(name, this.options.indexBuild ?? {}, (error, attempt) =>
        this.options.onError?.(error, { projection: name, attempt }),
      );
      this.indexes = indexes;
      subscription.caughtUp().then(
        // Between two batches, so a build never races a batch's writes.
        () => indexes.run(() => this.inTurn(() => this.committedFirst(() => applier.buildIndexes())), () => this.stopping),
        () => undefined, // the subscription failed: reported above; the next start builds them once caught up
      );
    }
  }

  /**
   * Resolves once every event stored before the call has been projected and its checkpoint saved, and the
   * deferred index build has got as far as its policy asks (see DeferredIndexBuild.awaited): for the live
   * version, its first attempt, so a build that keeps failing never holds `settled()` or the lag probes; for a
   * replay, the build itself, rejecting with IndexBuildFailedError when it gives up.
   */
  caughtUp(): Promise<void> {
    if (this.options.standby) return Promise.resolve();
    if (!this.subscription) return Promise.reject(new Error(`projection ${this.projection.name} is not running`));
    const indexes = this.indexes;
    return this.subscription
      .caughtUp()
      .then(() => this.inTurn(() => this.committedFirst(async () => undefined)))
      .then(() => indexes?.awaited());
  }

  /** The deferred index build's state; undefined when the indexes were created at start (or elsewhere). */
  indexBuild(): IndexBuildStatus | undefined {
    return this.indexes?.status;
  }

  /**
   * Runs work between two batches (a dead-letter retry), with the physical collection names the projection
   * writes to, so it never races a batch on the same documents.
   */
  runExclusive<T>(work: (physicalName: (collection: string) => string) => Promise<T>): Promise<T> {
    if (this.options.standby) return Promise.reject(new ProjectionsElsewhereError(this.projection.name));
    return this.inTurn(() => this.committedFirst(() => work(this.physicalName)));
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turns.then(work);
    this.turns = run.catch(() => undefined);
    return run;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.indexes?.stop();
    await this.subscription?.stop();
  }

  private async handle(batch: readonly RecordedEvent[]): Promise<void> {
    const submit = this.options.applier?.submit;
    // A full batch means more are waiting (a catch-up): pipelined. Anything else waits for what is in flight.
    if (!submit || batch.length !== (this.options.batchSize ?? DEFAULT_PROJECTION_BATCH_SIZE)) return this.committedFirst(() => this.handleBatch(batch));
    const events = this.checkpoint.ahead(batch);
    if (events.length === 0) return;
    await this.pipeline.follow(events, submit(events, this.checkpoint.after(events)));
  }

  /** Runs `next` once the pipelined batch in flight, if any, is committed (or redone if its commit failed). */
  private async committedFirst<T>(next: () => Promise<T>): Promise<T> {
    await this.pipeline.drain();
    return next();
  }

  private markCommitted(events: readonly RecordedEvent[]): void {
    const position = Number(events[events.length - 1]!.position);
    this.checkpoint.committed(position);
    this.options.onBatch?.(events, position);
  }

  private async handleBatch(batch: readonly RecordedEvent[]): Promise<void> {
    const attemptsBeforeDeadLetter = this.options.attemptsBeforeDeadLetter ?? 3;
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.checkpoint.settle();
        const events = this.checkpoint.ahead(batch);
        if (events.length === 0) return;
        if (attempt <= attemptsBeforeDeadLetter) await this.apply(events);
        else await isolatePoison(events, this.poisonSteps, attemptsBeforeDeadLetter);
        return;
      } catch (error) {
        this.checkpoint.doubt();
        this.options.onError?.(error, { projection: this.projection.name, attempt });
        await sleep((this.options.backoffMs ?? defaultBackoff)(attempt));
        // A store outage is no reason to give up on an event: stay on the batch until the store is back.
        // (The loop's increment then lands on a whole-batch attempt, never on poison isolation.)
        if (isTransient(error)) attempt = Math.min(attempt, attemptsBeforeDeadLetter - 1);
      }
    }
    throw new Error('projection stopped');
  }

  private async apply(events: readonly RecordedEvent[]): Promise<void> {
    const checkpoint = this.checkpoint.after(events);
    if (this.options.applier) await this.options.applier.apply(events, checkpoint);
    // Yielding lets waiting webhook requests run between slices of a large batch: an acknowledgement should
    // never wait for a whole catch-up batch to be projected.
    else await projectBatch(this.readStore, this.projection, this.physicalName, events, checkpoint, YIELD_EVERY_EVENTS, this.eventsProjectedOnce);
    this.markCommitted(events);
  }

  /** How poison events are isolated (src/projections/poisonIsolation.ts): applied alone, or set aside. */
  private readonly poisonSteps: PoisonSteps = {
    apply: (events) => this.apply(events),
    deadLetter: (event, error, attempts) =>
      this.commit([{ kind: 'put', collection: DEAD_LETTERS, doc: deadLetterOf(this.projection.name, event, error, attempts) }], [event]),
  };

  /** Writes the batch's effects with its checkpoint, then tells `onBatch` which events are now projected. */
  private async commit(writes: WriteOp[], events: readonly RecordedEvent[]): Promise<void> {
    await this.readStore.write(withCheckpoint(writes, this.checkpoint.after(events)));
    this.markCommitted(events);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
