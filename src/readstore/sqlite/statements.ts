import type Database from 'better-sqlite3';
import { tableOf } from './names';

/**
 * Prepared statements keyed by SQL text. Filters differ in shape only as much as the calling code does, so the
 * cache stays small; the bound is a guard against code that builds filters from unbounded input.
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly capacity = 512,
  ) {}

  get(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      if (this.statements.size >= this.capacity) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/**
 * Inserts or replaces a whole document. An upsert changes the row in place: cheaper than REPLACE's delete and
 * insert (and their index updates).
 */
export const upsertSql = (table: string) => `INSERT INTO ${table} (_id, doc) VALUES (?, ?) ON CONFLICT (_id) DO UPDATE SET doc = excluded.doc`;

export const deleteByIdSql = (table: string) => `DELETE FROM ${table} WHERE _id = ?`;

/** A collection's table: documents as JSON text by id. */
export const createTableSql = (table: string) => `CREATE TABLE IF NOT EXISTS ${table} (_id TEXT PRIMARY KEY, doc TEXT NOT NULL)`;

/** Each collection's two write statements on one connection, prepared once (a batch writes thousands of documents). */
export class DocumentWriters {
  private readonly writers = new Map<string, { put: Database.Statement; delete: Database.Statement }>();

  constructor(private readonly statements: StatementCache) {}

  of(collection: string): { put: Database.Statement; delete: Database.Statement } {
    let writer = this.writers.get(collection);
    if (writer === undefined) {
      const table = tableOf(collection);
      writer = { put: this.statements.get(upsertSql(table)), delete: this.statements.get(deleteByIdSql(table)) };
      this.writers.set(collection, writer);
    }
    return writer;
  }

  /** The collection's table was dropped: its statements go with it. */
  forget(collection: string): void {
    this.writers.delete(collection);
  }
}
