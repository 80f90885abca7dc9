import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Config } from '../config';
import type { EventStore, RecordedEvent } from '../eventstore/port';
import type { PersonalDataCipher } from '../privacy/personalDataCipher';
import type { Projection } from '../projections/projection';
import type { CheckpointDoc } from '../projections/checkpoint';
import type { BatchApplier } from '../projections/runner';
import { ReadStoreUnavailableError } from '../readstore/port';
import { settleable } from '../shared/settleable';
import type { CarriedError, FromProjector, ProjectorData, ToProjector } from './messages';

/** Events copied to the thread in one message. */
const SLICE_EVENTS = 1000;

/**
 * A batch's events and documents live until its commit, so with V8's default young generation (16 MiB semi-spaces)
 * most of them are copied twice and promoted before they die. A larger one lets more die young: on the replay
 * benchmark (200,000 events) the thread's garbage collection fell from about 4.9 to 3.8 s, wall time by a sixth.
 */
const YOUNG_GENERATION_MB = 96;

interface Waiting {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The service's side of the projector thread (see projectorWorker.ts): hands batches over, answers the runner
 * when they are committed, and keeps the two threads' key caches in step when someone is forgotten or a workspace
 * removed.
 */
export class ProjectorThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  /** Pipelined batches not answered `projected` yet. */
  private readonly projected = new Map<number, () => void>();
  private closed = false;
  private lost = 0;
  /** Set while `close` waits for the batches in flight. */
  private drained: (() => void) | undefined;

  constructor(
    private readonly config: Config,
    private readonly cipher: PersonalDataCipher,
    private readonly eventStore: Pick<EventStore, 'idsUniqueByConstraint'>,
  ) {
    cipher.onForgotten((workspaceId, identityKeys) =>
      this.worker?.postMessage({ kind: 'forgotten', workspaceId, identityKeys } satisfies ToProjector),
    );
  }

  /** The applier for runners of `projection` writing read-model `version` (1: the plain collection names). */
  applier(projection: Projection, version: number): BatchApplier {
    return {
      apply: (events, checkpoint) => this.apply(projection.name, version, events, checkpoint),
      submit: (events, checkpoint) => {
        const projected = settleable();
        const committed = this.apply(projection.name, version, events, checkpoint, projected.resolve);
        // A batch that fails before it is projected fails both; after, resolving again changes nothing.
        committed.then(projected.resolve, projected.reject);
        return { projected: projected.promise, committed };
      },
      buildIndexes: () => this.request((id) => this.post({ kind: 'buildIndexes', id, projection: projection.name, version })),
    };
  }

  /** Drops a removed workspace's caches on the thread (a thread started later has none). */
  forgetWorkspace(workspaceId: string): void {
    this.worker?.postMessage({ kind: 'workspaceRemoved', workspaceId } satisfies ToProjector);
  }

  /** Batches handed to the thread and not answered yet. */
  get batchesInFlight(): number {
    return this.waiting.size;
  }

  /** Batches that failed because the thread died under them (each is retried on a new thread). */
  get lostBatches(): number {
    return this.lost;
  }

  /**
   * Ends the thread at once, as a crash would: its batch in flight fails as an outage and is retried on a new
   * thread (what the fault tests exercise).
   */
  async terminate(): Promise<void> {
    await this.worker?.terminate();
  }

  /**
   * Takes no new batch, lets the batches in flight finish for up to `graceMs` (a shutdown must not wait for a
   * long catch-up batch), then ends the thread: cleanly when nothing is left, at once otherwise. A batch cut off
   * is not committed, or committed without its answer: either way it is projected again at the next start, and
   * the documents' position guards make the second pass change nothing twice.
   */
  async close(graceMs = 2000): Promise<void> {
    this.closed = true;
    this.worker?.ref(); // closing is work: the process must not end before the thread has ended
    if (this.waiting.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.drained = undefined;
    }
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    if (this.waiting.size > 0) {
      this.failAll(new ReadStoreUnavailableError('the projector thread was closed before the batch finished'));
      await worker.terminate();
      return;
    }
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ kind: 'close' } satisfies ToProjector);
    await exited;
  }

  /** `onProjected` given: a pipelined batch, answered `projected` before it is committed (see ApplyRequest). */
  private apply(projection: string, version: number, events: readonly RecordedEvent[], checkpoint: CheckpointDoc, onProjected?: () => void): Promise<void> {
    return this.request(async (id) => {
      if (onProjected) this.projected.set(id, onProjected);
      // Copying events to the thread blocks this one: a catch-up batch of thousands goes in slices, with turns of
      // the event loop (webhook requests) between them.
      let from = 0;
      for (; events.length - from > SLICE_EVENTS; from += SLICE_EVENTS) {
        this.post({ kind: 'slice', id, projection, version, pipelined: onProjected !== undefined, events: events.slice(from, from + SLICE_EVENTS) });
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (!this.waiting.has(id)) return; // failed meanwhile (the thread died, or was closed): the answer says why
      }
      this.post({ kind: 'apply', id, projection, version, events: events.slice(from), eventCount: events.length, checkpoint, pipelined: onProjected !== undefined });
    });
  }

  /**
   * Registers a request under a new id, has `send` post it, and waits for its answer (a batch in flight, as far
   * as closing is concerned). `send` may take turns of the event loop (a batch in slices).
   */
  private request(send: (id: number) => void | Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(new ReadStoreUnavailableError('the projector thread is closed'));
    const id = this.nextId++;
    const answered = new Promise<void>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.ensureWorker().ref(); // a request in flight keeps the process alive; an idle thread does not
    const sending = send(id);
    if (!sending) return answered;
    // The thread may die while `send` is still at work: the rejection is the caller's, once sending is over.
    answered.catch(() => undefined);
    return sending.then(() => answered);
  }

  private post(message: ToProjector): void {
    this.ensureWorker().postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const workerData: ProjectorData = { config: this.config, eventIdsUniqueByConstraint: this.eventStore.idsUniqueByConstraint === true };
    const worker = new Worker(join(__dirname, 'projectorWorker.js'), { workerData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    worker.unref(); // see `request`: only requests in flight keep the process alive
    worker.on('message', (message: FromProjector) => this.onMessage(message));
    worker.on('error', (error) => this.onLost(worker, error));
    worker.on('exit', (code) => this.onLost(worker, new Error(`projector thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private onMessage(message: FromProjector): void {
    switch (message.kind) {
      case 'projected':
        this.projected.get(message.id)?.();
        this.projected.delete(message.id);
        return;
      case 'applied':
        this.settle(message.id)?.resolve();
        return;
      case 'failed':
        this.settle(message.id)?.reject(revived(message.error));
        return;
      case 'startFailed': {
        // A thread that could not open its stores is of no use: end it, and the next batch starts a new one.
        const broken = this.worker;
        this.failAll(revived({ ...message.error, transient: true }));
        void broken?.terminate();
        return;
      }
      case 'forgotten':
        this.cipher.evict(message.workspaceId, message.identityKeys);
    }
  }

  private settle(id: number): Waiting | undefined {
    const waiting = this.waiting.get(id);
    this.waiting.delete(id);
    this.projected.delete(id);
    if (this.waiting.size === 0) {
      if (!this.closed) this.worker?.unref();
      this.drained?.();
    }
    return waiting;
  }

  /** The thread died: its batches fail as an outage (the runners retry them); the next batch starts a new one. */
  private onLost(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.lost += this.waiting.size;
    this.failAll(new ReadStoreUnavailableError(`projector thread stopped: ${error.message}`, error));
  }

  private failAll(error: unknown): void {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    this.projected.clear();
    for (const w of waiting) w.reject(error);
    this.drained?.();
  }
}

/** The error as the runner expects it: an outage is a ReadStoreUnavailableError; others keep name and stack. */
function revived(carried: CarriedError): Error {
  const error = carried.transient ? new ReadStoreUnavailableError(carried.message) : new Error(carried.message);
  if (!carried.transient) error.name = carried.name;
  if (carried.stack) error.stack = carried.stack;
  return error;
}
