import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  type ReadStreamOptions as EsdbReadStreamOptions,
  type RecordedEvent as EsdbRecordedEvent,
  START,
  StreamNotFoundError,
} from '@eventstore/db-client';
import type { ReadStreamOptions } from '../port';

/** Reads a stream with the client's options; a stream that does not exist reads as empty. */
export async function readRecorded(
  client: EventStoreDBClient,
  streamName: string,
  options: EsdbReadStreamOptions,
): Promise<EsdbRecordedEvent[]> {
  const events: EsdbRecordedEvent[] = [];
  try {
    for await (const resolved of client.readStream(streamName, options)) {
      if (resolved.event) events.push(resolved.event);
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  return events;
}

export function toEsdbReadOptions(options: ReadStreamOptions = {}): EsdbReadStreamOptions {
  const backwards = options.direction === 'backwards';
  return {
    direction: backwards ? BACKWARDS : FORWARDS,
    fromRevision: options.fromRevision ?? (backwards ? END : START),
    ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
  };
}

/** The last `count` events of a stream, newest first, and the stream's revision (-1n when it has no events). */
export async function readTail(
  client: EventStoreDBClient,
  streamName: string,
  count: number,
): Promise<{ readonly ids: ReadonlySet<string>; readonly lastRevision: bigint }> {
  const tail = await readRecorded(client, streamName, { direction: BACKWARDS, fromRevision: END, maxCount: count });
  return { ids: new Set(tail.map((event) => event.id)), lastRevision: tail[0]?.revision ?? -1n };
}
