import {
  type AllStreamRecordedEvent,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  type Position,
  type ReadPosition,
  START,
} from '@eventstore/db-client';
import type { ReadAllOptions, RecordedEvent } from '../port';
import { toPositionedEvent } from './recordedEvent';
import { isWantedStream, prefixFilter } from './streamNames';

/**
 * Reads of `$all`. The 6.x client cannot filter these reads on the server, so they page through `$all` and filter
 * here, with the same rule as subscriptions (./streamNames.ts).
 */

const LARGEST_PAGE = 512;

/** Events after `options.after` (exclusive) of the wanted streams, oldest first. */
export async function readAllForward(client: EventStoreDBClient, options: ReadAllOptions): Promise<RecordedEvent[]> {
  const { after, maxCount } = options;
  const prefixes = prefixFilter(options.streamPrefixes);
  const found: RecordedEvent[] = [];
  // A forward read includes the event at its start position (the port's `after` excludes it).
  let from: Position | typeof START = after === undefined ? START : { commit: after, prepare: after };
  let pageSize = Math.min(LARGEST_PAGE, Math.max(maxCount + 1, 16));
  while (found.length < maxCount) {
    const page = await readPage(client, from, FORWARDS, pageSize);
    for (const event of page) {
      if (from !== START && comparePositions(event.position, from) <= 0) continue;
      if (after !== undefined && event.position.commit <= after) continue;
      if (!isWantedStream(event.streamId, prefixes)) continue;
      found.push(toPositionedEvent(event).event);
      if (found.length === maxCount) break;
    }
    const last = page[page.length - 1];
    if (page.length < pageSize || last === undefined) break;
    from = last.position;
    pageSize = Math.min(LARGEST_PAGE, pageSize * 2);
  }
  return found;
}

/**
 * Commit position of the newest event of the wanted streams, scanning back from the end of `$all` but not to or
 * past `floor`; undefined when there is none above the floor. Pages start small: the answer is usually near the end.
 */
export async function newestWantedPosition(
  client: EventStoreDBClient,
  streamPrefixes: readonly string[] | undefined,
  floor: bigint,
): Promise<bigint | undefined> {
  const prefixes = prefixFilter(streamPrefixes);
  let from: Position | typeof END = END;
  let pageSize = 8;
  for (;;) {
    const page = await readPage(client, from, BACKWARDS, pageSize);
    for (const event of page) {
      if (from !== END && comparePositions(event.position, from) >= 0) continue;
      if (event.position.commit <= floor) return undefined;
      if (isWantedStream(event.streamId, prefixes)) return event.position.commit;
    }
    const last = page[page.length - 1];
    if (page.length < pageSize || last === undefined) return undefined;
    from = last.position;
    pageSize = Math.min(LARGEST_PAGE, pageSize * 2);
  }
}

/** One page of `$all`, read to its end so no call stays open. */
async function readPage(
  client: EventStoreDBClient,
  fromPosition: ReadPosition,
  direction: typeof FORWARDS | typeof BACKWARDS,
  maxCount: number,
): Promise<AllStreamRecordedEvent[]> {
  const page: AllStreamRecordedEvent[] = [];
  for await (const resolved of client.readAll({ fromPosition, direction, maxCount })) {
    if (resolved.event) page.push(resolved.event);
  }
  return page;
}

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}
