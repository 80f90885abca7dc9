import type Database from 'better-sqlite3';
import { ReadStoreUnavailableError, WriteOp } from '../port';
import { SqliteWriterThread } from '../../shared/sqliteWriterThread';
import { serialize } from './documents';
import { tableOf } from './names';
import { configureConnection } from './sqliteReadStore';
import { createTableSql, DocumentWriters, StatementCache } from './statements';

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
  const writers = new DocumentWriters(new StatementCache(db));
  const knownTables = new Set<string>();
  const writeGroup = db.transaction((group: readonly (readonly SerializedOp[])[]) => {
    for (const batch of group) {
      for (const [collection, id, json] of batch) {
        if (json === null) writers.of(collection).delete.run(id);
        else writers.of(collection).put.run(id, json);
      }
    }
  });
  return (group) => {
    // Tables are created before the transaction (as in the read store): a rolled-back group must not take a table
    // with it while its statements stay prepared. The projector creates them at start; this is for safety.
    for (const batch of group) {
      for (const [collection] of batch) {
        if (!knownTables.has(collection)) db.exec(createTableSql(tableOf(collection)));
        knownTables.add(collection);
      }
    }
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
