/**
 * The event store port. Two adapters implement it: embedded SQLite (`./sqlite`) and EventStoreDB (`./esdb`).
 * Both must pass the same contract suite (`test/contracts/eventStore.contract.ts`).
 *
 * Semantics follow EventStoreDB's so that the embedded engine never promises more than production does:
 * - stream revisions are 0-based and per stream;
 * - global positions increase across the whole store but need not be consecutive;
 * - event ids are unique across the whole store: appending an event whose id is already stored does not store it
 *   again and reports it in `duplicates` (this is how a Segment messageId, turned into a deterministic id, is
 *   deduplicated durably).
 */

export type JsonObject = { [key: string]: unknown };

/** The state a stream must be in for an append to go through. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface NewEvent {
  /** UUID. Deterministic ids make retries idempotent. */
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

export interface RecordedEvent {
  readonly id: string;
  readonly type: string;
  readonly streamName: string;
  /** 0-based position of the event in its stream. */
  readonly revision: bigint;
  /** Position in the store-wide log. Increasing, not necessarily consecutive. */
  readonly position: bigint;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  /** When the store recorded the event. */
  readonly created: Date;
}

export interface StreamAppend {
  readonly streamName: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  readonly streamName: string;
  /** Revision of the stream's last event after the append; -1n when the stream is still empty. */
  readonly nextExpectedRevision: bigint;
  /** Ids of the events that were stored before and so were not stored again. */
  readonly duplicates: readonly string[];
}

export interface ReadStreamOptions {
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
  readonly direction?: 'forwards' | 'backwards';
}

export interface ReadAllOptions {
  /** Exclusive: only events after this position. Omitted: from the start. */
  readonly after?: bigint;
  readonly maxCount: number;
  /** Only events of streams whose name starts with one of these. Omitted: every stream. */
  readonly streamPrefixes?: readonly string[];
}

export interface SubscribeOptions {
  readonly after?: bigint;
  readonly streamPrefixes?: readonly string[];
  /** Largest number of events handed to the handler at once. */
  readonly batchSize?: number;
}

/**
 * Receives events in store order, a batch at a time. The subscription waits for the returned promise before it
 * delivers the next batch, so a handler that commits its work before resolving gets at-least-once processing.
 */
export type BatchHandler = (events: readonly RecordedEvent[]) => Promise<void>;

export interface Subscription {
  /** Resolves once every event stored before the call has been handed to the handler and handled. */
  caughtUp(): Promise<void>;
  /** Stops delivery; resolves when the handler is no longer running. */
  stop(): Promise<void>;
  /** Rejects when delivery fails for good (the handler threw, or the store failed). */
  readonly done: Promise<void>;
}

export interface EventStore {
  /**
   * True when the store itself refuses a second event with an id it holds, whatever the stream (SQLite: a UNIQUE
   * constraint). EventStoreDB deduplicates through claims, which leave a window (see esdb/appendWithoutDuplicates):
   * there, and when absent, an id may be stored twice and read models must be idempotent by event id.
   */
  readonly idsUniqueByConstraint?: boolean;
  /**
   * Appends to several streams. Each stream's append is atomic; the embedded engine makes the whole call atomic,
   * EventStoreDB does not (a retry after a partial failure is safe because event ids deduplicate). Callers give
   * each event id once per call: one id in two streams of the same call may be stored in both on EventStoreDB.
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Position of the newest event in the store (0n when empty), for lag and progress figures. */
  headPosition(): Promise<bigint>;
  subscribeToAll(options: SubscribeOptions, handler: BatchHandler): Subscription;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamName: string,
    readonly expectedRevision: ExpectedRevision,
    readonly actualRevision: bigint | 'no_stream',
  ) {
    super(`stream ${streamName}: expected revision ${String(expectedRevision)}, actual ${String(actualRevision)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** The store cannot be reached or refused to work; the caller should retry later (HTTP 503). */
export class EventStoreUnavailableError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'EventStoreUnavailableError';
  }
}
