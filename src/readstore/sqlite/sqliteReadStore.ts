import Database from 'better-sqlite3';
import type { Doc, IndexSpec, ReadStore, WriteOp } from '../port';
import { serialize } from './documents';
import { translateErrors } from './errors';
import { assertCollectionName, assertFieldPath, collectionOfTable, jsonPathOf, tableOf } from './names';
import { sqliteCollection } from './sqliteCollection';
import { StatementCache } from './statements';

/**
 * The embedded read store: one table per collection holding JSON documents. Read models can always be rebuilt
 * from the event store, so `synchronous=NORMAL` (durable up to the last checkpoint of the WAL) is enough.
 */
export async function openSqliteReadStore(filePath: string): Promise<ReadStore> {
  const db = translateErrors(() => new Database(filePath));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // A user deletion erases personal data from read models: overwrite freed pages instead of leaving it there.
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
  const statements = new StatementCache(db);
  const knownTables = new Set<string>();

  const ensureTable = (collection: string): string => {
    const table = tableOf(collection);
    if (!knownTables.has(collection)) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${table} (_id TEXT PRIMARY KEY, doc TEXT NOT NULL)`);
      knownTables.add(collection);
    }
    return table;
  };

  const createIndex = (collection: string, spec: IndexSpec): void => {
    const columns = spec.map((field) => `json_extract(doc, ${jsonPathOf(field)})`).join(', ');
    // The name spells out the fields (already validated), so creating the same index twice is a no-op.
    const indexName = `"ix:${collection}:${spec.join(',')}"`;
    db.exec(`CREATE INDEX IF NOT EXISTS ${indexName} ON ${tableOf(collection)} (${columns})`);
  };

  const applyInOrder = db.transaction((ops: readonly WriteOp[]) => {
    for (const op of ops) {
      const table = tableOf(op.collection);
      if (op.kind === 'put') {
        statements.get(`INSERT OR REPLACE INTO ${table} (_id, doc) VALUES (?, ?)`).run(op.doc._id, serialize(op.doc));
      } else if (op.kind === 'delete') {
        statements.get(`DELETE FROM ${table} WHERE _id = ?`).run(op.id);
      } else {
        throw new TypeError(`Unknown write op ${JSON.stringify((op as { kind?: unknown }).kind)}`);
      }
    }
  });

  const store: ReadStore = {
    async collection<T extends Doc>(name: string, indexes: readonly IndexSpec[] = []) {
      return translateErrors(() => {
        assertCollectionName(name);
        indexes.forEach(assertIndexSpec); // before creating anything, so a bad spec leaves no trace
        ensureTable(name);
        for (const spec of indexes) createIndex(name, spec);
        return sqliteCollection<T>(name, { statements, ensureTable });
      });
    },
    async write(ops) {
      translateErrors(() => {
        // Tables are created before the transaction, so a rollback never leaves knownTables out of date.
        for (const collection of new Set(ops.map((op) => op.collection))) ensureTable(collection);
        applyInOrder(ops);
      });
    },
    async dropCollection(name) {
      translateErrors(() => {
        db.exec(`DROP TABLE IF EXISTS ${tableOf(name)}`);
        knownTables.delete(name);
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
      if (db.open) db.close();
    },
  };
  return store;
}

function assertIndexSpec(spec: IndexSpec): void {
  if (!Array.isArray(spec) || spec.length === 0) throw new TypeError('An index needs at least one field');
  spec.forEach(assertFieldPath);
}
