import type Database from 'better-sqlite3';
import { ReadStoreUnavailableError, WriteOp } from '../port';
import { SqliteWriterThread } from '../../shared/sqliteWriterThread';
import { serialize } from './documents';
import { tableOf } from './names';
import { configureConnection } from './sqliteReadStore';
import { createTableSql, deleteByIdSql, StatementCache, upsertSql } from './statements';

/** One write of a batch as it crosses to the writer thread: collection, id, and the document's JSON (null: delete). */
type SerializedOp = readonly [collection: string, id: string, json: string | null];

/**
 * A writer's lock waits hold only its own thread: as long as the read store's whole wait (see
 * SqliteReadStoreOptions.lockWaitMs), which covers an index build by another connection.
 */
const LOCK_WAIT_MS = 15_000;

/**
 * Runs on the writer thread (src/shared/sqliteWriterWorker.ts): writes groups of batches, each group in one
 * transaction, in order. The thread is started by the projector thread and shares its lowered priority.
 */
export function createWriter(db: Database.Database): (group: readonly (readonly SerializedOp[])[]) => null[] {
  configureConnection(db, LOCK_WAIT_MS);
  const statements = new StatementCache(db);
  const writers = new Map<string, { put: Database.Statement; delete: Database.Statement }>();
  const writerOf = (collection: string) => {
    let writer = writers.get(collection);
    if (writer === undefined) {
      const table = tableOf(collection);
      db.exec(createTableSql(table));
      writer = { put: statements.get(upsertSql(table)), delete: statements.get(deleteByIdSql(table)) };
      writers.set(collection, writer);
    }
    return writer;
  };
  const writeGroup = db.transaction((group: readonly (readonly SerializedOp[])[]) => {
    for (const batch of group) {
      for (const [collection, id, json] of batch) {
        if (json === null) writerOf(collection).delete.run(id);
        else writerOf(collection).put.run(id, json);
      }
    }
  });
  return (group) => {
    writeGroup(group);
    return group.map(() => null);
  };
}

/**
 * Writes projection batches to the read-model file on a thread of their own, so the projector thread goes on
 * projecting the next batch meanwhile (see src/projector/writeBehind.ts). Documents are serialized here, on the
 * projector thread: strings cross threads as a copy, objects would be cloned field by field.
 */
export class SqliteWriteAside {
  private readonly thread: SqliteWriterThread<readonly SerializedOp[], null>;

  constructor(filePath: string) {
    this.thread = new SqliteWriterThread(
      { filePath, writerModule: __filename },
      { failure: (reason, cause) => new ReadStoreUnavailableError(`read-model writer: ${reason}`, cause) },
    );
  }

  async write(ops: readonly WriteOp[]): Promise<void> {
    await this.thread.submit(ops.map((op) => (op.kind === 'put' ? [op.collection, op.doc._id, serialize(op.doc)] : [op.collection, op.id, null])));
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
