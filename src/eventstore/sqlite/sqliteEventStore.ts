import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  AppendResult,
  EventStore,
  EventStoreUnavailableError,
  ReadAllOptions,
  RecordedEvent,
  StreamAppend,
  WrongExpectedRevisionError,
} from '../port';
import { AppendOutcome, AppendRequest, createAppender, isRevisionConflict, serialiseAppends } from './appender';
import { pollingSubscription } from './pollingSubscription';
import { EventRow, prefixRanges, toRecordedEvent } from './rows';
import { migrate } from './schema';
import { inlineWriter, SqliteWriterThread } from '../../shared/sqliteWriterThread';
import { WalCheckpointer } from '../../shared/walCheckpointer';

/**
 * How appends reach the file. `thread` (the default for files) commits on a writer thread so fsync never blocks the
 * event loop; `inline` commits on the calling thread (the only choice for `:memory:`, which one connection owns).
 */
export type SqliteWriterMode = 'thread' | 'inline';

/** The embedded event store: one SQLite file, durable on commit, group-committed. */
export async function openSqliteEventStore(
  filePath: string,
  options: { writer?: SqliteWriterMode } = {},
): Promise<EventStore> {
  if (filePath !== ':memory:') mkdirSync(dirname(filePath), { recursive: true });
  const db = new Database(filePath);
  migrate(db);
  const mode = filePath === ':memory:' ? 'inline' : (options.writer ?? 'thread');
  return new SqliteEventStore(db, (onCommitted) => {
    const writerOptions = {
      failure: (reason: string, cause?: unknown) => new EventStoreUnavailableError(`embedded event store failed to commit: ${reason}`, cause),
      onCommitted,
    };
    if (mode === 'inline') return inlineWriter(createAppender(db), writerOptions);
    const thread = new SqliteWriterThread<AppendRequest, AppendOutcome>({ filePath, writerModule: require.resolve('./appender') }, writerOptions);
    // The log is copied into the file by a thread of its own, so the commit whose requests wait for their answer
    // rarely does it (appends at 2,000/s, standalone, on a loaded machine: p99 80-106 ms -> 47-57 ms).
    const checkpointer = new WalCheckpointer(filePath);
    return {
      submit: (request: AppendRequest) => thread.submit(request),
      close: async () => {
        try {
          await thread.close();
        } finally {
          await checkpointer.close();
        }
      },
    };
  });
}

interface GroupWriter {
  submit(request: AppendRequest): Promise<AppendOutcome>;
  close(): Promise<void>;
}

class SqliteEventStore implements EventStore {
  readonly idsUniqueByConstraint = true;
  private readonly commitListeners = new Set<(streams: ReadonlyMap<string, number>) => void>();
  /**
   * Streams of the appends submitted and not answered yet, with how many appends each. A group's commit is
   * announced before its appends are answered, so the streams it wrote are all here then (with, at most, some of
   * the next group's): a subscription can tell whether the commit concerns it.
   */
  private readonly unansweredStreams = new Map<string, number>();
  private readonly head;
  private readonly readStatements = new Map<string, Database.Statement<unknown[], EventRow>>();
  /** The head and the events after a position, in one read transaction (both from the same snapshot). */
  private readonly readAtOnce;
  private readonly writer: GroupWriter;
  private closed = false;

  constructor(
    /** Reads happen on this connection; in WAL mode they see every commit of the writer. */
    private readonly db: Database.Database,
    writer: (onCommitted: () => void) => GroupWriter,
  ) {
    this.head = db.prepare<[], { head: number | null }>('SELECT MAX(position) AS head FROM events');
    this.readAtOnce = db.transaction(
      (read: Database.Statement<unknown[], EventRow>, after: number, prefixParams: readonly string[], maxCount: number) => {
        const head = BigInt(this.head.get()?.head ?? 0);
        if (maxCount <= 0) return { events: [] as RecordedEvent[], head };
        return { events: read.all(after, ...prefixParams, maxCount).map(toRecordedEvent), head };
      },
    );
    this.writer = writer(() => this.notifyCommit());
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (this.closed) throw new EventStoreUnavailableError('event store is closed');
    const request = serialiseAppends(appends);
    for (const { streamName } of appends) this.unansweredStreams.set(streamName, (this.unansweredStreams.get(streamName) ?? 0) + 1);
    let outcome: AppendOutcome;
    try {
      outcome = await this.writer.submit(request);
    } finally {
      for (const { streamName } of appends) {
        const left = this.unansweredStreams.get(streamName)! - 1;
        if (left > 0) this.unansweredStreams.set(streamName, left);
        else this.unansweredStreams.delete(streamName);
      }
    }
    if (isRevisionConflict(outcome)) {
      const { streamName, expected, actual } = outcome.conflict;
      throw new WrongExpectedRevisionError(streamName, expected, actual);
    }
    return outcome;
  }

  async readStream(
    streamName: string,
    options: { fromRevision?: bigint; maxCount?: number; direction?: 'forwards' | 'backwards' } = {},
  ): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? BigInt(Number.MAX_SAFE_INTEGER) : 0n);
    const sql = `SELECT * FROM events WHERE stream_name = ? AND revision ${backwards ? '<=' : '>='} ?
                 ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT ?`;
    const rows = this.db.prepare<[string, number, number], EventRow>(sql).all(
      streamName,
      Number(from),
      options.maxCount ?? -1,
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.readAllWithHead(options).events;
  }

  private readAllWithHead(options: ReadAllOptions): { events: RecordedEvent[]; head: bigint } {
    const { sql, params } = prefixRanges(options.streamPrefixes);
    return this.readAtOnce(this.readAfter(sql), Number(options.after ?? 0n), params, options.maxCount);
  }

  /**
   * The read statement for one stream-prefix filter, prepared once: subscriptions read after every commit, and
   * preparing (parsing and planning the SQL) cost as much as a small read itself.
   */
  private readAfter(prefixSql: string): Database.Statement<unknown[], EventRow> {
    let statement = this.readStatements.get(prefixSql);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[], EventRow>(`SELECT * FROM events WHERE position > ?${prefixSql} ORDER BY position LIMIT ?`);
      this.readStatements.set(prefixSql, statement);
    }
    return statement;
  }

  async headPosition(): Promise<bigint> {
    return BigInt(this.head.get()?.head ?? 0);
  }

  subscribeToAll(options: Parameters<EventStore['subscribeToAll']>[0], handler: Parameters<EventStore['subscribeToAll']>[1]) {
    return pollingSubscription(
      {
        readAllWithHead: (o) => this.readAllWithHead(o),
        onCommit: (listener) => {
          this.commitListeners.add(listener);
          return () => this.commitListeners.delete(listener);
        },
      },
      options,
      handler,
    );
  }

  private notifyCommit(): void {
    for (const listener of this.commitListeners) listener(this.unansweredStreams);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.close();
    this.db.close();
  }
}
