import type { EventStore, RecordedEvent } from '../eventstore/port';
import type { ReadStore, WriteOp } from '../readstore/port';
import type { Projection } from './projection';
import { CHECKPOINTS, CheckpointDoc } from './checkpoint';
import { UnitOfWork } from './unitOfWork';

/**
 * Projects one batch in a unit of work and writes its effects together with the checkpoint, in one `write`.
 * Runs wherever the read store is: on the service's thread, or on the projector thread (src/projector).
 */
export async function projectBatch(
  readStore: ReadStore,
  projection: Projection,
  physicalName: (collection: string) => string,
  events: readonly RecordedEvent[],
  checkpoint: CheckpointDoc,
  /** Events handled between two turns of the event loop (0: never yield; nothing else runs on this thread). */
  yieldEvery: number,
  /** See `eventsProjectedOnce` below; false looks for earlier traces of the batch's events. */
  eventsProjectedOnce = false,
): Promise<void> {
  const uow = new UnitOfWork(readStore, physicalName, { eventsProjectedOnce });
  await projectInto(uow, projection, events, yieldEvery);
  await readStore.write(withCheckpoint(uow.writes(), checkpoint));
}

/** Projects events into a batch's unit of work; a batch may come in parts, each projected as it arrives. */
export async function projectInto(uow: UnitOfWork, projection: Projection, events: readonly RecordedEvent[], yieldEvery: number): Promise<void> {
  await projection.prefetch?.(events, uow);
  for (let i = 0; i < events.length; i++) {
    if (yieldEvery > 0 && i > 0 && i % yieldEvery === 0) await new Promise((resolve) => setImmediate(resolve));
    await projection.handle(events[i]!, uow);
  }
}

/**
 * Whether a runner's batches (events after its checkpoint) are new to the read store: the event store holds each
 * id once, and a batch's writes and checkpoint are stored together or not at all, so no event after the
 * checkpoint has left a trace. On MongoDB (writes stop half-way) or EventStoreDB (an id may be stored twice)
 * projections look for those traces instead.
 */
export const eventsProjectedOnce = (eventStore: Pick<EventStore, 'idsUniqueByConstraint'>, readStore: Pick<ReadStore, 'atomicWrites'>): boolean =>
  eventStore.idsUniqueByConstraint === true && readStore.atomicWrites === true;

/** A batch's writes, ending with its checkpoint (written with them, in one `write`). */
export function withCheckpoint(writes: readonly WriteOp[], checkpoint: CheckpointDoc): WriteOp[] {
  return [...writes, { kind: 'put', collection: CHECKPOINTS, doc: checkpoint }];
}
