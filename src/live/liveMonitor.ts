import type { IngestRequest, IngestSummary } from '../commands/ingestSegmentCalls';
import { callTypeOfEvent, SEGMENT_CALL_REJECTED, SegmentCallRejectedData } from '../domain/events';
import { SEGMENT_CALL_STREAM_PREFIXES } from '../domain/streams';
import type { RecordedEvent } from '../eventstore/port';
import type { ReadStore } from '../readstore/port';
import { draftOf } from './liveEvent';
import { LiveFeed } from './liveFeed';
import { ingestedStages, receivedStages } from './ingestionStages';
import { projectionStages } from './projectionStages';

/**
 * Feeds the live monitor from the two places a call's progress is known: ingestion (received, stored, rejected)
 * and the projection runners' committed batches (attributed or unresolved, projected, failed). Read-model
 * look-ups for a batch are made only while someone watches its workspace; otherwise the feed records the plain
 * fact that the call was projected.
 */
export class LiveMonitor {
  readonly feed = new LiveFeed();
  /** Read models may be versioned (replays build a new version): where a logical collection lives now. */
  private physicalName: (collection: string) => string = (name) => name;

  constructor(
    private readonly readStore: ReadStore,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async ingest(request: IngestRequest, run: (request: IngestRequest) => Promise<IngestSummary>): Promise<IngestSummary> {
    this.feed.publish(receivedStages(request));
    const summary = await run(request);
    this.feed.publish(ingestedStages(request, summary));
    return summary;
  }

  /** The `onBatch` option of a projection runner. */
  projected(projection: string): (events: readonly RecordedEvent[]) => void {
    return (events) => {
      const listed = deadLettersListed(projection, events);
      if (listed.length > 0) this.feed.publish(listed);
      // Look-ups per call only for live-sized batches someone watches: a catch-up batch of thousands is history,
      // and reading its rows would hold the webhook's thread.
      const watched =
        events.length <= MAX_LOOKED_UP_BATCH && events.some((e) => this.feed.hasListeners(String(e.metadata.workspaceId ?? '')));
      if (!watched) {
        // Only calls are shown: they are picked first, so other events at a batch's end crowd none of them out.
        const calls = events.filter(isCallEvent);
        this.feed.publish(plainProjected(projection, this.feed.visible(calls, (e) => String(e.metadata.workspaceId ?? ''))));
        return;
      }
      projectionStages(this.readStore, projection, events, this.physicalName).then(
        (drafts) => this.feed.publish(drafts),
        (error) => {
          this.onError(error);
          this.feed.publish(plainProjected(projection, events));
        },
      );
    };
  }

  /** Names of the running projections that read Segment calls (customer and identity streams). */
  callProjections(runners: readonly { readonly projection: { readonly name: string; readonly streamPrefixes: readonly string[] } }[]): string[] {
    return runners
      .filter((r) => r.projection.streamPrefixes.some((prefix) => SEGMENT_CALL_STREAM_PREFIXES.some((p) => p.startsWith(prefix) || prefix.startsWith(p))))
      .map((r) => r.projection.name);
  }

  useCollectionNames(physicalName: (collection: string) => string): void {
    this.physicalName = physicalName;
  }

  close(): void {
    this.feed.close();
  }
}

/** Largest batch whose calls the monitor looks up (attributed to whom, dead-lettered why). */
const MAX_LOOKED_UP_BATCH = 1000;

/**
 * Calls rejected at the door that the batch has now listed as dead letters: the monitor's dead-letter list
 * reloads on these (the `rejected` stage comes earlier, before the letter exists).
 */
const deadLettersListed = (projection: string, events: readonly RecordedEvent[]) =>
  events
    .filter((event) => event.type === SEGMENT_CALL_REJECTED)
    .map((event) =>
      // The rejected call is no Segment call to describe: only its message id says which one it was.
      draftOf(String(event.metadata.workspaceId ?? ''), 'projected', null, {
        messageId: (event.data as unknown as SegmentCallRejectedData).messageId ?? null,
        eventId: event.id,
        projection,
      }),
    );

const isCallEvent = (event: RecordedEvent) => callTypeOfEvent(event.type) !== undefined;

const plainProjected = (projection: string, events: readonly RecordedEvent[]) =>
  events
    .filter(isCallEvent)
    .map((event) => draftOf(String(event.metadata.workspaceId ?? ''), 'projected', event.data, { eventId: event.id, projection }));
