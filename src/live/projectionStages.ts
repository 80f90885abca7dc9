import { callTypeOfEvent } from '../domain/events';
import type { RecordedEvent } from '../eventstore/port';
import { SEGMENT_EVENTS, SegmentEventDoc } from '../projections/attribution/documents';
import { DEAD_LETTERS, DeadLetterDoc } from '../projections/deadLetters/deadLetter';
import type { ReadStore } from '../readstore/port';
import { draftOf, LiveEventDraft } from './liveEvent';

const ATTRIBUTION = 'attribution';

/**
 * What one projection batch did to the Segment calls in it: the attribution projection says who each call
 * belongs to (or that it waits, unresolved); any other projection says it projected the call. A call the
 * projection dead-lettered is reported failed with the error. Reads the read model only for the calls in the
 * batch (one getMany each).
 */
export async function projectionStages(
  readStore: ReadStore,
  projection: string,
  batch: readonly RecordedEvent[],
  physicalName: (collection: string) => string = (name) => name,
): Promise<LiveEventDraft[]> {
  const calls = batch.filter((event) => callTypeOfEvent(event.type) !== undefined);
  if (calls.length === 0) return [];
  const letters = new Map(
    (await (await readStore.collection<DeadLetterDoc>(DEAD_LETTERS)).getMany(calls.map((e) => `${projection}:${e.id}`))).map(
      (letter) => [letter.eventId, letter],
    ),
  );
  const attributed =
    projection === ATTRIBUTION
      ? new Map((await (await readStore.collection<SegmentEventDoc>(physicalName(SEGMENT_EVENTS))).getMany(calls.map((e) => e.id))).map((d) => [d._id, d]))
      : undefined;

  return calls.map((event) => {
    const workspaceId = String(event.metadata.workspaceId ?? '');
    const details = { eventId: event.id, projection, source: typeof event.metadata.source === 'string' ? event.metadata.source : null };
    const letter = letters.get(event.id);
    if (letter) return draftOf(workspaceId, 'failed', event.data, { ...details, errors: letter.errors });
    const doc = attributed?.get(event.id);
    // Other projections, and calls the attribution model does not list (deletions, aliases): plainly projected.
    if (!doc) return draftOf(workspaceId, 'projected', event.data, details);
    return doc.customerId && doc.attribution !== 'unresolved'
      ? draftOf(workspaceId, 'attributed', event.data, { ...details, customerId: doc.customerId })
      : draftOf(workspaceId, 'unresolved', event.data, details);
  });
}
