import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { type AppendResult, type ExpectedRevision, type NewEvent, type StreamAppend, WrongExpectedRevisionError } from '../port';
import { chunkForAppend } from './appendChunks';
import { meetsExpectation, sortOutDuplicates } from './duplicates';
import { claim, isClaimed } from './eventIdClaims';
import { readTail } from './streamReads';

/**
 * How far back in the target stream to look for events of an earlier attempt whose claims were never written,
 * beyond the size of the append itself. Kept small because these reads carry whole events. The usual case it
 * covers: the server went down right after the append, so the claims failed and the caller got a 503; the retry
 * comes after the restart (idempotency cache gone), before many other events reach the same stream.
 */
const TAIL_MARGIN = 16;

/**
 * Appends one stream's events, skipping ids already stored anywhere.
 *
 * 1. In parallel: read the claim stream of every event id, and the tail of the target stream.
 * 2. Ids with a claim, or found in the tail, are duplicates; the rest are appended (in chunks under the max append
 *    size: the first chunk with the caller's expected revision, later ones with the exact revision reached).
 * 3. Then each appended id is claimed, and so is any id found in the tail without a claim.
 *
 * Remaining window: a crash (or a failed claim write) after step 2 leaves stored events without claims. A retry
 * still finds them while they are among the last `append size + TAIL_MARGIN` events of the same stream, and
 * EventStoreDB's idempotency cache (expected revision `any`, in memory) also catches a retry to the same stream
 * until the server restarts. So a copy is stored twice only when claims were lost AND the retry goes to another
 * stream, or comes after the stream moved on by more than that tail AND after a server restart. Two concurrent appends of the same
 * new id to DIFFERENT streams can also both pass step 1. Read models are idempotent by event id, so such a copy is
 * never counted twice.
 */
export async function appendWithoutDuplicates(client: EventStoreDBClient, append: StreamAppend): Promise<AppendResult> {
  const { streamName, events } = append;
  const expected = append.expectedRevision ?? 'any';
  const [claimFlags, tail] = await Promise.all([
    Promise.all(events.map((event) => isClaimed(client, event.id))),
    readTail(client, streamName, events.length + TAIL_MARGIN),
  ]);
  const claimed = new Set(events.filter((_, index) => claimFlags[index]).map((event) => event.id));
  const { fresh, duplicates, unclaimed } = sortOutDuplicates(events, claimed, tail.ids);

  if (fresh.length === 0) {
    // Nothing to write. A retry of a stored append is a success whatever its expected revision (as in EventStoreDB);
    // an empty append only checks the expected revision.
    if (events.length === 0 && !meetsExpectation(expected, tail.lastRevision)) {
      throw new WrongExpectedRevisionError(streamName, expected, actualRevision(tail.lastRevision));
    }
    await Promise.all(unclaimed.map((id) => claim(client, id, streamName)));
    return { streamName, nextExpectedRevision: tail.lastRevision, duplicates };
  }

  const nextExpectedRevision = await appendInChunks(client, streamName, fresh, expected);
  await Promise.all([...fresh.map((event) => event.id), ...unclaimed].map((id) => claim(client, id, streamName)));
  return { streamName, nextExpectedRevision, duplicates };
}

async function appendInChunks(
  client: EventStoreDBClient,
  streamName: string,
  events: readonly NewEvent[],
  firstExpected: ExpectedRevision,
): Promise<bigint> {
  let expectedRevision = firstExpected;
  let lastRevision = -1n;
  for (const chunk of chunkForAppend(events)) {
    const eventData = chunk.map(({ id, type, data, metadata }) => jsonEvent({ id, type, data, metadata }));
    const result = await client.appendToStream(streamName, eventData, { expectedRevision });
    // Only reached when the connection string sets throwOnAppendFailure=false; otherwise the client throws.
    if (!result.success) {
      throw new WrongExpectedRevisionError(streamName, expectedRevision, actualRevision(result.nextExpectedRevision));
    }
    lastRevision = result.nextExpectedRevision;
    expectedRevision = lastRevision;
  }
  return lastRevision;
}

function actualRevision(lastRevision: bigint): bigint | 'no_stream' {
  return lastRevision < 0n ? 'no_stream' : lastRevision;
}
