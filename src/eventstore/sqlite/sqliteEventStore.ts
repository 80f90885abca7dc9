import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  AppendResult,
  EventStore,
  EventStoreUnavailableError,
  ExpectedRevision,
  ReadAllOptions,
  RecordedEvent,
  StreamAppend,
  WrongExpectedRevisionError,
} from '../port';
import { GroupCommit } from '../../shared/groupCommit';
import { pollingSubscription } from './pollingSubscription';
import { EventRow, prefixRanges, toRecordedEvent } from './rows';
import { migrate } from './schema';

/** The embedded event store: one SQLite file, durable on commit, group-committed. */
export async function openSqliteEventStore(filePath: string): Promise<EventStore> {
  if (filePath !== ':memory:') mkdirSync(dirname(filePath), { recursive: true });
  const db = new Database(filePath);
  migrate(db);
  return new SqliteEventStore(db);
}

class SqliteEventStore implements EventStore {
  private readonly commitListeners = new Set<() => void>();
  private readonly statements;
  private readonly groupCommit: GroupCommit<readonly StreamAppend[], AppendResult[]>;
  private closed = false;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      streamRevision: db.prepare<[string], { revision: number }>('SELECT revision FROM streams WHERE stream_name = ?'),
      insertEvent: db.prepare(
        `INSERT INTO events (event_id, stream_name, revision, type, data, metadata, created_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
      ),
      eventInStream: db.prepare<[string, string], { one: number }>(
        'SELECT 1 AS one FROM events WHERE event_id = ? AND stream_name = ?',
      ),
      upsertStream: db.prepare(
        `INSERT INTO streams (stream_name, revision) VALUES (?, ?)
         ON CONFLICT (stream_name) DO UPDATE SET revision = excluded.revision`,
      ),
      head: db.prepare<[], { head: number | null }>('SELECT MAX(position) AS head FROM events'),
    };
    const appendInSavepoint = db.transaction((appends: readonly StreamAppend[]) => appends.map((a) => this.appendOne(a)));
    const writeAll = db.transaction((requests: (readonly StreamAppend[])[]) =>
      requests.map((appends): AppendResult[] | Error => {
        try {
          return appendInSavepoint(appends);
        } catch (error) {
          if (error instanceof WrongExpectedRevisionError) return error;
          throw error;
        }
      }),
    );
    this.groupCommit = new GroupCommit(
      (requests) => {
        const outcomes = writeAll(requests);
        this.notifyCommit();
        return outcomes;
      },
      (error) => new EventStoreUnavailableError(`embedded event store failed to commit: ${String(error)}`, error),
    );
  }

  appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('event store is closed'));
    return this.groupCommit.submit(appends);
  }

  private appendOne({ streamName, events, expectedRevision = 'any' }: StreamAppend): AppendResult {
    const row = this.statements.streamRevision.get(streamName);
    let revision = row ? row.revision : -1;
    if (!revisionMatches(expectedRevision, revision)) {
      // Like EventStoreDB: a retry of an append that already went through is answered as a success.
      const alreadyStored = events.length > 0 && events.every((e) => this.statements.eventInStream.get(e.id, streamName));
      if (alreadyStored) {
        return { streamName, nextExpectedRevision: BigInt(revision), duplicates: events.map((e) => e.id) };
      }
      throw new WrongExpectedRevisionError(streamName, expectedRevision, row ? BigInt(revision) : 'no_stream');
    }
    const duplicates: string[] = [];
    const now = Date.now();
    for (const event of events) {
      const inserted = this.statements.insertEvent.run(
        event.id,
        streamName,
        revision + 1,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        now,
      );
      if (inserted.changes === 1) revision += 1;
      else duplicates.push(event.id);
    }
    if (revision >= 0) this.statements.upsertStream.run(streamName, revision);
    return { streamName, nextExpectedRevision: BigInt(revision), duplicates };
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
    const read = this.db.transaction(() => {
      const head = BigInt(this.statements.head.get()?.head ?? 0);
      if (options.maxCount <= 0) return { events: [], head };
      const rows = this.db
        .prepare<unknown[], EventRow>(`SELECT * FROM events WHERE position > ?${sql} ORDER BY position LIMIT ?`)
        .all(Number(options.after ?? 0n), ...params, options.maxCount);
      return { events: rows.map(toRecordedEvent), head };
    });
    return read();
  }

  async headPosition(): Promise<bigint> {
    return BigInt(this.statements.head.get()?.head ?? 0);
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
    for (const listener of this.commitListeners) listener();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

function revisionMatches(expected: ExpectedRevision, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === -1;
    case 'stream_exists':
      return actual >= 0;
    default:
      return BigInt(actual) === expected;
  }
}
