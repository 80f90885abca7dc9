import { EventStoreDBClient, jsonEvent, NO_STREAM, WrongExpectedVersionError } from '@eventstore/db-client';
import { claimEventId } from './claimEventId';
import { readRecorded } from './streamReads';
import { CLAIM_STREAM_PREFIX } from './streamNames';

/**
 * One claim stream per stored event id (`msgid-<eventId>`) makes "this id is stored somewhere" durable across
 * streams, which EventStoreDB itself does not promise (it dedupes an id only within one stream, and with expected
 * revision `any` only through an in-memory cache).
 */

export function claimStreamName(eventId: string): string {
  return `${CLAIM_STREAM_PREFIX}${eventId}`;
}

export async function isClaimed(client: EventStoreDBClient, eventId: string): Promise<boolean> {
  const claim = await readRecorded(client, claimStreamName(eventId), { maxCount: 1 });
  return claim.length > 0;
}

/**
 * Records that `eventId` is stored in `streamName`. `no_stream` makes the first claim win for good, and the
 * deterministic claim id makes a retried claim idempotent; a claim that already exists is the outcome we want.
 */
export async function claim(client: EventStoreDBClient, eventId: string, streamName: string): Promise<void> {
  const claimEvent = jsonEvent({ id: claimEventId(eventId), type: 'EventIdClaimed', data: { eventId, streamName } });
  try {
    await client.appendToStream(claimStreamName(eventId), claimEvent, { expectedRevision: NO_STREAM });
  } catch (error) {
    if (!(error instanceof WrongExpectedVersionError)) throw error;
  }
}
