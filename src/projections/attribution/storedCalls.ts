import type { SegmentCall } from '../../domain/segment/calls';
import type { EventStore } from '../../eventstore/port';
import { mapConcurrently } from '../../shared/mapConcurrently';
import type { SegmentEventDoc } from './documents';

/** Revisions this close together in one stream are read as one range (a page of a customer's list mostly is). */
const LARGEST_GAP = 16;
/** Reads in flight at once (EventStoreDB: one gRPC read each). */
const READ_CONCURRENCY = 8;

/**
 * The stored calls behind event-list rows, by event id (sealed, as stored: callers open them). A row that still
 * carries its copy (one waiting for a customer, or written before rows stopped carrying it) gives that; the
 * others are read from the event store by stream and revision, nearby revisions of a stream in one read.
 * A row whose event cannot be found maps to null.
 */
export async function storedCalls(eventStore: EventStore, rows: readonly SegmentEventDoc[]): Promise<Map<string, SegmentCall | null>> {
  const calls = new Map<string, SegmentCall | null>();
  const wanted = new Map<string, { revision: number; id: string }[]>();
  for (const row of rows) {
    if (row.payload !== undefined) calls.set(row._id, JSON.parse(row.payload) as SegmentCall);
    else if (row.revision === undefined) calls.set(row._id, null);
    else {
      const ofStream = wanted.get(row.streamName) ?? [];
      ofStream.push({ revision: row.revision, id: row._id });
      wanted.set(row.streamName, ofStream);
    }
  }
  const reads = [...wanted].flatMap(([streamName, refs]) => rangesOf(refs).map((range) => ({ streamName, ...range })));
  await mapConcurrently(reads, READ_CONCURRENCY, async ({ streamName, from, count, ids }) => {
    const events = await eventStore.readStream(streamName, { fromRevision: BigInt(from), maxCount: count });
    const byId = new Map(events.map((e) => [e.id, e.data as unknown as SegmentCall]));
    for (const id of ids) calls.set(id, byId.get(id) ?? null);
  });
  return calls;
}

/** Sorted revisions cut where they are more than LARGEST_GAP apart: each piece is one read. */
function rangesOf(refs: { revision: number; id: string }[]): { from: number; count: number; ids: string[] }[] {
  refs.sort((a, b) => a.revision - b.revision);
  const ranges: { from: number; count: number; ids: string[] }[] = [];
  for (const ref of refs) {
    const last = ranges[ranges.length - 1];
    if (last && ref.revision - (last.from + last.count - 1) <= LARGEST_GAP) {
      last.count = ref.revision - last.from + 1;
      last.ids.push(ref.id);
    } else {
      ranges.push({ from: ref.revision, count: 1, ids: [ref.id] });
    }
  }
  return ranges;
}
