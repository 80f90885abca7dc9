import { checkedPaging } from '../paging';
import type { Collection, Doc, Filter, FindOptions } from '../port';
import { deserialize, serialize } from './documents';
import { toReadStoreError } from './errors';
import { compileFilter, compileSort } from './filterSql';
import { deleteByIdSql, type StatementCache, upsertSql } from './statements';

/** What a collection needs from its store: statements, and a table that exists (it may have been dropped). */
export interface SqliteCollectionContext {
  readonly statements: StatementCache;
  ensureTable(collection: string): string;
  /** Runs a change once no other connection holds the write lock (waiting between turns of the event loop). */
  whenUnlocked<R>(change: () => R): Promise<R>;
}

export function sqliteCollection<T extends Doc>(name: string, context: SqliteCollectionContext): Collection<T> {
  const table = (): string => context.ensureTable(name);
  const prepare = (sql: string) => context.statements.get(sql);

  const methods: Omit<Collection<T>, 'name'> = {
    async get(id) {
      const json = prepare(`SELECT doc FROM ${table()} WHERE _id = ?`).pluck().get(id) as string | undefined;
      return json === undefined ? null : deserialize<T>(json);
    },
    async getMany(ids) {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return [];
      // One JSON parameter instead of one per id: no limit on the number of ids.
      const sql = `SELECT _id, doc FROM ${table()} WHERE _id IN (SELECT value FROM json_each(?))`;
      const rows = prepare(sql).all(JSON.stringify(unique)) as { _id: string; doc: string }[];
      const byId = new Map(rows.map((row) => [row._id, row.doc]));
      return unique.flatMap((id) => {
        const json = byId.get(id);
        return json === undefined ? [] : [deserialize<T>(json)];
      });
    },
    async find(filter?: Filter, options: FindOptions = {}) {
      const where = compileFilter(filter);
      const { limit, skip } = checkedPaging(options);
      if (limit === 0) return [];
      const orderBy = options.sort && options.sort.length > 0 ? ` ORDER BY ${compileSort(options.sort)}` : '';
      const sql = `SELECT doc FROM ${table()} WHERE ${where.sql}${orderBy} LIMIT ? OFFSET ?`;
      const rows = prepare(sql).pluck().all(...where.params, limit ?? -1, skip) as string[];
      return rows.map((json) => deserialize<T>(json));
    },
    async count(filter?: Filter) {
      const where = compileFilter(filter);
      return prepare(`SELECT COUNT(*) FROM ${table()} WHERE ${where.sql}`).pluck().get(...where.params) as number;
    },
    async put(doc) {
      const json = serialize(doc);
      await context.whenUnlocked(() =>
        prepare(upsertSql(table())).run(doc._id, json),
      );
    },
    async delete(id) {
      await context.whenUnlocked(() => prepare(deleteByIdSql(table())).run(id));
    },
    async deleteMany(filter) {
      const where = compileFilter(filter);
      return context.whenUnlocked(() => prepare(`DELETE FROM ${table()} WHERE ${where.sql}`).run(...where.params).changes);
    },
  };
  return { name, ...withTranslatedErrors(methods) };
}

/** Wraps each method so that SQLite's busy/IO failures surface as ReadStoreUnavailableError. */
function withTranslatedErrors<M extends object>(methods: M): M {
  const wrapped = {} as Record<string, unknown>;
  for (const [key, method] of Object.entries(methods) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    wrapped[key] = async (...args: unknown[]) => {
      try {
        return await method(...args);
      } catch (error) {
        throw toReadStoreError(error);
      }
    };
  }
  return wrapped as M;
}
