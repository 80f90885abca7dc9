/**
 * The projector thread: projects batches handed over by the service's projection runners and commits them to
 * the read store, on its own core. The runners (checkpoints, retries, dead letters, replays' bookkeeping) stay
 * on the service's thread; only the CPU-heavy part moves here (opening sealed fields, reading and writing the
 * read-model documents), so webhook requests are never queued behind a catch-up batch.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { forgetIdsOf } from '../domain/ids';
import { EventStoreUnavailableError, RecordedEvent } from '../eventstore/port';
import { openKeyStore } from '../privacy/openKeyStore';
import { PersonalDataCipher } from '../privacy/personalDataCipher';
import { serviceProjections } from '../projections/catalogue';
import { eventsProjectedOnce, projectInto, withCheckpoint } from '../projections/projectBatch';
import { UnitOfWork } from '../projections/unitOfWork';
import type { Projection } from '../projections/projection';
import { versionLayout } from '../projections/readModelVersion';
import { ReadStore, ReadStoreUnavailableError } from '../readstore/port';
import { nameThisThread } from '../observability/threadCpu';
import { lowerThisThreadsPriority } from '../shared/threadPriority';
import { SqliteWriteAside } from '../readstore/sqlite/writeAside';
import { openReadStore } from '../stores';
import type { ApplyRequest, BuildIndexesRequest, CarriedError, FromProjector, ProjectorData, ToProjector } from './messages';
import { WriteBehind } from './writeBehind';

const port = parentPort;
if (!port) throw new Error('projectorWorker runs as a worker thread');
const post = (message: FromProjector) => port.postMessage(message);

interface Projector {
  readonly readStore: ReadStore;
  /** Commits of pipelined batches (catch-ups), behind the projection of the next ones. */
  readonly writeBehind: WriteBehind;
  readonly cipher: PersonalDataCipher;
  readonly close: () => Promise<void>;
  readonly byName: ReadonlyMap<string, Projection>;
  /** See `eventsProjectedOnce` (projectBatch.ts). */
  readonly eventsProjectedOnce: boolean;
}

async function start({ config, eventIdsUniqueByConstraint }: ProjectorData): Promise<Projector> {
  const readStore = await openReadStore(config);
  const keyStore = await openKeyStore(config);
  const cipher = new PersonalDataCipher(keyStore);
  cipher.onForgotten((workspaceId, identityKeys) => post({ kind: 'forgotten', workspaceId, identityKeys }));
  const { attribution, others } = serviceProjections(cipher);
  // SQLite writes hold the thread that makes them: pipelined batches are written on a thread of their own.
  // MongoDB writes are I/O this thread does not wait on.
  const writeAside = config.mongodbUri ? undefined : new SqliteWriteAside(join(config.dataDir, 'readmodels.db'));
  return {
    readStore,
    writeBehind: new WriteBehind(readStore, (ops) => (writeAside ? writeAside.write(ops) : readStore.write(ops))),
    cipher,
    byName: new Map([attribution, ...others].map((p) => [p.name, p])),
    // The write-aside thread commits a batch with its checkpoint in one transaction too.
    eventsProjectedOnce: eventsProjectedOnce({ idsUniqueByConstraint: eventIdsUniqueByConstraint }, readStore),
    close: async () => {
      await writeAside?.close();
      await readStore.close();
      await keyStore.close();
    },
  };
}

// Acknowledgements come first: on a machine whose cores are all busy, this thread runs on what the webhook's
// thread leaves. Read models then fall behind rather than acks slowing down, and a lag past the limits sheds load
// at the door (503).
nameThisThread('projector');
lowerThisThreadsPriority(10);
const started = start(workerData as ProjectorData);
started.catch((error) => post({ kind: 'startFailed', error: carried(error) }));

/**
 * A batch being projected as its parts arrive: a large batch comes in slices, then its apply request with the
 * last events. Projecting each slice on arrival lets its events die young (they were all held until the apply
 * request, and copied by every young-generation collection meanwhile).
 */
interface BatchInProgress {
  readonly uow: UnitOfWork;
  readonly projection: Projection;
  received: number;
  /** The slices projected so far, in order; rejects with the first failure. */
  work: Promise<void>;
}

const inProgress = new Map<number, BatchInProgress>();

function batchOf(projector: Projector, part: { id: number; projection: string; version: number; pipelined?: boolean }): BatchInProgress {
  let batch = inProgress.get(part.id);
  if (batch === undefined) {
    const projection = projector.byName.get(part.projection);
    if (!projection) throw new Error(`the projector thread has no projection ${part.projection}`);
    const { physicalName } = versionLayout(part.projection, part.version);
    // A pipelined batch reads the documents of the batches still being written (see WriteBehind).
    const reads = part.pipelined ? projector.writeBehind.reads : projector.readStore;
    const uow = new UnitOfWork(reads, physicalName, { eventsProjectedOnce: projector.eventsProjectedOnce });
    batch = { uow, projection, received: 0, work: Promise.resolve() };
    inProgress.set(part.id, batch);
  }
  return batch;
}

/** Queues `events` for projection after the batch's earlier parts (nothing else runs on this thread: no yields). */
function projectPart(batch: BatchInProgress, events: readonly RecordedEvent[]): void {
  batch.received += events.length;
  batch.work = batch.work.then(() => projectInto(batch.uow, batch.projection, events, 0));
  batch.work.catch(() => undefined); // seen by the apply request
}

/** `projected` is called once a pipelined batch is projected and handed to the writer (see WriteBehind). */
async function apply(projector: Projector, request: ApplyRequest, projected: () => void): Promise<void> {
  const batch = batchOf(projector, request);
  inProgress.delete(request.id);
  projectPart(batch, request.events);
  await batch.work;
  if (batch.received !== request.eventCount) {
    throw new ReadStoreUnavailableError(`batch ${request.id} arrived incomplete (${batch.received} of ${request.eventCount} events)`);
  }
  const writes = withCheckpoint(batch.uow.writes(), request.checkpoint);
  if (request.pipelined) {
    const committed = projector.writeBehind.commitBehind(writes);
    projected();
    return committed;
  }
  // A runner's own pipelined batches are committed before it sends one to apply in turn (PipelinedCommits.drain);
  // another runner's (a replay beside the live version) write other collections: no need to wait for them.
  await projector.readStore.write(writes);
}

/** The projection's collections in the version with their indexes (CREATE INDEX IF NOT EXISTS: repeatable). */
async function buildIndexes(projector: Projector, request: BuildIndexesRequest): Promise<void> {
  const projection = projector.byName.get(request.projection);
  if (!projection) throw new Error(`the projector thread has no projection ${request.projection}`);
  const { physicalName } = versionLayout(request.projection, request.version);
  for (const { name, indexes } of projection.collections) await projector.readStore.collection(physicalName(name), indexes);
}

port.on('message', (message: ToProjector) => {
  void started.then(
    async (projector) => {
      switch (message.kind) {
        case 'slice':
          projectPart(batchOf(projector, message), message.events);
          return;
        case 'apply':
          await apply(projector, message, () => post({ kind: 'projected', id: message.id })).then(
            () => post({ kind: 'applied', id: message.id }),
            (error) => post({ kind: 'failed', id: message.id, error: carried(error) }),
          );
          return;
        case 'buildIndexes':
          await buildIndexes(projector, message).then(
            () => post({ kind: 'applied', id: message.id }),
            (error) => post({ kind: 'failed', id: message.id, error: carried(error) }),
          );
          return;
        case 'forgotten':
          projector.cipher.evict(message.workspaceId, message.identityKeys);
          return;
        case 'workspaceRemoved':
          forgetIdsOf(message.workspaceId);
          projector.cipher.forgetWorkspace(message.workspaceId);
          return;
        case 'close':
          await projector.close();
          port.close();
      }
    },
    (error) => {
      if (message.kind === 'apply' || message.kind === 'buildIndexes') post({ kind: 'failed', id: message.id, error: { ...carried(error), transient: true } });
      if (message.kind === 'close') port.close();
    },
  );
});

function carried(error: unknown): CarriedError {
  const transient = error instanceof ReadStoreUnavailableError || error instanceof EventStoreUnavailableError;
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack, transient };
  return { name: 'Error', message: String(error), transient };
}
