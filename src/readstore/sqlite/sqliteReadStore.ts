import Database from 'better-sqlite3';
import type { Doc, IndexSpec, ReadStore, WriteOp } from '../port';
import { serialize } from './documents';
import { isBusy, toReadStoreError, translateErrors } from './errors';
import { assertCollectionName, assertFieldPath, collectionOfTable, jsonPathOf, tableOf } from './names';
import { sqliteCollection } from './sqliteCollection';
import { createTableSql, DocumentWriters, StatementCache } from './statements';
import { WalCheckpointer } from '../../shared/walCheckpointer';

export interface SqliteReadStoreOptions {
  /**
   * Longest wait for another connection's write lock before the write fails as an outage. The default (15 s)
   * covers the longest lock the projector thread takes: building a large index at the end of a replay (5-7 s at
   * 1,000,000 events). The wait is between turns of the event loop, so nothing else waits with it.
   */
  readonly lockWaitMs?: number;
  /**
   * `background`: this store starts (and stops) a checkpointer thread for its file, which copies the write-ahead
   * log into the database while the writers go on (see src/shared/walCheckpointer). Every connection keeps
   * SQLite's own checkpoint at 10,000 pages, which then finds little left to copy.
   */
  readonly walCheckpoints?: 'inline' | 'background';
}

/**
 * How long a statement waits for a lock inside SQLite, holding the thread. The service's thread and the projector
 * thread write the same file, and a catch-up batch holds the write lock for a while: longer waits go on between
 * turns of the event loop (see `whenUnlocked`), so a webhook request is never stuck behind another thread's commit.
 */
const BLOCKING_LOCK_WAIT_MS = 5;

/**
 * Every connection to the read-model file, the store's and the projector's writer thread's (writeAside.ts), works
 * the same way. `busyTimeoutMs` is how long a statement waits for another connection's lock, holding its thread.
 */
export function configureConnection(db: Database.Database, busyTimeoutMs: number): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // A user deletion erases personal data from read models: overwrite freed pages instead of leaving it there.
  db.pragma('secure_delete = ON');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // Projection batches write thousands of documents into tables that grow to millions of rows (one per event,
  // keyed by a random event id): a 64 MiB page cache (default 2 MiB) keeps most index pages a batch touches in
  // memory (1,000,000-event replay: about 10% less CPU than 32 MiB), and checkpointing the WAL every 40 MiB
  // instead of every 4 MiB writes a page that batch after batch changes (a customer's) back fewer times.
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 10000');
}

/**
 * The embedded read store: one table per collection holding JSON documents. Read models can always be rebuilt
 * from the event store, so `synchronous=NORMAL` (durable up to the last checkpoint of the WAL) is enough.
 */
export async function openSqliteReadStore(filePath: string, options: SqliteReadStoreOptions = {}): Promise<ReadStore> {
  const lockWaitMs = options.lockWaitMs ?? 15_000;
  const db = translateErrors(() => new Database(filePath));
  configureConnection(db, BLOCKING_LOCK_WAIT_MS);
  const checkpointer = options.walCheckpoints === 'background' && filePath !== ':memory:' ? new WalCheckpointer(filePath) : undefined;
  const statements = new StatementCache(db);
  /** Collections whose table exists, with the table's quoted name. */
  const knownTables = new Map<string, string>();

  const ensureTable = (collection: string): string => {
    let table = knownTables.get(collection);
    if (table === undefined) {
      table = tableOf(collection);
      db.exec(createTableSql(table));
      knownTables.set(collection, table);
    }
    return table;
  };

  const createIndex = (collection: string, spec: IndexSpec): void => {
    const columns = spec.map((field) => `json_extract(doc, ${jsonPathOf(field)})`).join(', ');
    // The name spells out the fields (already validated), so creating the same index twice is a no-op.
    const indexName = `"ix:${collection}:${spec.join(',')}"`;
    // Building an index over a large table is mostly sorting: a second sorter thread takes a fifth off it (the two
    // event-list indexes over 1,000,000 rows: 5.0-5.3 -> 4.3 s). On the projector thread, the helper inherits its
    // lowered priority, so acknowledgements keep theirs.
    db.pragma('threads = 2');
    try {
      db.exec(`CREATE INDEX IF NOT EXISTS ${indexName} ON ${tableOf(collection)} (${columns})`);
    } finally {
      db.pragma('threads = 0');
    }
  };

  const writers = new DocumentWriters(statements);

  const applyInOrder = db.transaction((ops: readonly WriteOp[]) => {
    for (const op of ops) {
      if (op.kind === 'put') {
        writers.of(op.collection).put.run(op.doc._id, serialize(op.doc));
      } else if (op.kind === 'delete') {
        writers.of(op.collection).delete.run(op.id);
      } else {
        throw new TypeError(`Unknown write op ${JSON.stringify((op as { kind?: unknown }).kind)}`);
      }
    }
  });

  /** Runs a change, retrying it while another connection holds the write lock, up to `lockWaitMs`. */
  const whenUnlocked = async <R>(change: () => R): Promise<R> => {
    const deadline = performance.now() + lockWaitMs;
    for (let pauseMs = 1; ; pauseMs = Math.min(2 * pauseMs, 50)) {
      try {
        return change();
      } catch (error) {
        if (!isBusy(error) || performance.now() >= deadline) throw toReadStoreError(error);
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };

  const store: ReadStore = {
    atomicWrites: true,
    async collection<T extends Doc>(name: string, indexes: readonly IndexSpec[] = []) {
      assertCollectionName(name);
      indexes.forEach(assertIndexSpec); // before creating anything, so a bad spec leaves no trace
      await whenUnlocked(() => {
        ensureTable(name);
        for (const spec of indexes) createIndex(name, spec);
      });
      return sqliteCollection<T>(name, { statements, ensureTable, whenUnlocked });
    },
    async write(ops) {
      await whenUnlocked(() => {
        // Tables are created before the transaction, so a rollback never leaves knownTables out of date.
        for (const collection of new Set(ops.map((op) => op.collection))) ensureTable(collection);
        applyInOrder(ops);
      });
    },
    async dropCollection(name) {
      await whenUnlocked(() => {
        db.exec(`DROP TABLE IF EXISTS ${tableOf(name)}`);
        knownTables.delete(name);
        writers.forget(name);
      });
    },
    async listCollections() {
      const sql = `SELECT name FROM sqlite_master WHERE type = 'table'`;
      const tables = translateErrors(() => db.prepare(sql).pluck().all() as string[]);
      return tables.flatMap((table) => collectionOfTable(table) ?? []).sort();
    },
    async ping() {
      translateErrors(() => db.prepare('SELECT 1').get());
    },
    async close() {
      await checkpointer?.close();
      if (db.open) db.close();
    },
  };
  return store;
}

function assertIndexSpec(spec: IndexSpec): void {
  if (!Array.isArray(spec) || spec.length === 0) throw new TypeError('An index needs at least one field');
  spec.forEach(assertFieldPath);
}
