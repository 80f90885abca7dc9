import { EventStoreDBClient } from '@eventstore/db-client';
import type {
  AppendResult,
  BatchHandler,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeOptions,
  Subscription,
} from '../port';
import { newestWantedPosition, readAllForward } from './allReads';
import { appendWithoutDuplicates } from './appendWithoutDuplicates';
import { mapConcurrently } from '../../shared/mapConcurrently';
import { withPortErrors } from './errors';
import { toPositionedEvent } from './recordedEvent';
import { readRecorded, toEsdbReadOptions } from './streamReads';
import { EsdbSubscription } from './subscription';

/**
 * Opens the EventStoreDB adapter, e.g. `esdb://localhost:2113?tls=false`. Fails with EventStoreUnavailableError
 * when the server cannot be reached, rather than on the first request.
 */
export async function openEsdbEventStore(connectionString: string): Promise<EventStore> {
  const client = EventStoreDBClient.connectionString(connectionString);
  const store = new EsdbEventStore(client);
  try {
    await store.headPosition();
  } catch (error) {
    await client.dispose();
    throw error;
  }
  return store;
}

/** Streams appended at once; each append is a few round trips (claims, tail, append, claims). */
const APPEND_CONCURRENCY = 32;

class EsdbEventStore implements EventStore {
  private readonly subscriptions = new Set<EsdbSubscription>();

  constructor(private readonly client: EventStoreDBClient) {}

  /**
   * Streams are appended concurrently (a Segment batch can touch thousands of identity streams, and the answer
   * is due within 5 seconds). An id given for two streams of one call is therefore not deduplicated between them;
   * ingestion never does that (it deduplicates a request's messageIds before appending).
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    return withPortErrors(() =>
      mapConcurrently(appends, APPEND_CONCURRENCY, (append) => appendWithoutDuplicates(this.client, append)),
    );
  }

  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return withPortErrors(async () => {
      const recorded = await readRecorded(this.client, streamName, toEsdbReadOptions(options));
      return recorded.map((event) => toPositionedEvent(event).event);
    });
  }

  readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return withPortErrors(() => readAllForward(this.client, options));
  }

  headPosition(): Promise<bigint> {
    return withPortErrors(async () => (await newestWantedPosition(this.client, undefined, -1n)) ?? 0n);
  }

  subscribeToAll(options: SubscribeOptions, handler: BatchHandler): Subscription {
    const newestWanted = (prefixes: readonly string[] | undefined, floor: bigint) =>
      withPortErrors(() => newestWantedPosition(this.client, prefixes, floor));
    const subscription = new EsdbSubscription(this.client, options, handler, newestWanted);
    this.subscriptions.add(subscription);
    // Only bookkeeping: whoever subscribed watches `done` for failures.
    const forget = () => this.subscriptions.delete(subscription);
    subscription.done.then(forget, forget);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }
}
