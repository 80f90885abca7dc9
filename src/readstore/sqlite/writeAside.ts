import type Database from 'better-sqlite3';
import { Doc, ReadStoreUnavailableError, WriteOp } from '../port';
import { SqliteWriterThread } from '../../shared/sqliteWriterThread';
import { idOf, serialize } from './documents';
import { tableOf } from './names';
import { configureConnection } from './sqliteReadStore';
import { createTableSql, DocumentWriters, StatementCache } from './statements';

/** One write of a batch as it crosses to the writer thread: collection, id, and the document (null: delete). */
type ThreadOp = readonly [collection: string, id: string, doc: Doc | null];

/**
 * A writer's lock waits hold only its own thread: as long as the read store's whole wait (see
 * SqliteReadStoreOptions.lockWaitMs), which covers an index build by another connection.
 */
const LOCK_WAIT_MS = 15_000;

/**
 * What the writer answers for one batch: null once written, or why the batch was refused (a document JSON cannot
 * hold, such as a BigInt or a cycle, which structured cloning carried over): the projection's error, not an
 * outage, and nothing of that batch is written.
 */
type BatchOutcome = string | null;

/**
 * Runs on the writer thread (src/shared/sqliteWriterWorker.ts): writes groups of batches, each group in one
 * transaction, in order, each batch in a savepoint of its own. The thread is started by the projector thread and
 * shares its lowered priority.
 */
export function createWriter(db: Database.Database): (group: readonly (readonly ThreadOp[])[]) => BatchOutcome[] {
  configureConnection(db, LOCK_WAIT_MS);
  const writers = new DocumentWriters(new StatementCache(db));
  const knownTables = new Set<string>();
  const writeBatch = db.transaction((batch: readonly ThreadOp[]) => {
    for (const [collection, id, doc] of batch) {
      if (doc === null) writers.of(collection).delete.run(id);
      else writers.of(collection).put.run(id, serializedOrRefused(collection, id, doc));
    }
  });
  const writeGroup = db.transaction((group: readonly (readonly ThreadOp[])[]) =>
    group.map((batch): BatchOutcome => {
      try {
        writeBatch(batch);
        return null;
      } catch (error) {
        if (error instanceof Unstorable) return error.message; // its savepoint is rolled back; the others go on
        throw error; // the store's failure: the whole group fails, as an outage
      }
    }),
  );
  return (group) => {
    // Tables are created before the transaction (as in the read store): a rolled-back group must not take a table
    // with it while its statements stay prepared. The projector creates them at start; this is for safety.
    for (const batch of group) {
      for (const [collection] of batch) {
        if (!knownTables.has(collection)) db.exec(createTableSql(tableOf(collection)));
        knownTables.add(collection);
      }
    }
    return writeGroup(group);
  };
}

class Unstorable extends Error {}

function serializedOrRefused(collection: string, id: string, doc: Doc): string {
  try {
    return serialize(doc);
  } catch (error) {
    throw new Unstorable(`document ${id} of ${collection} cannot be stored as JSON: ${(error as Error).message}`);
  }
}

/**
 * Writes projection batches to the read-model file on a thread of their own, so the projector thread goes on
 * projecting the next batch meanwhile (see src/projector/writeBehind.ts). Documents cross as objects and are
 * serialized to JSON on the writer thread: cloning an object for the thread costs the projector thread (the
 * rebuild's critical path) about a third of `JSON.stringify` plus copying the string (1,000,000-event rebuild:
 * 3.2 s of serializing moved off it, 4-10% of wall time in two alternating runs).
 */
export class SqliteWriteAside {
  private readonly thread: SqliteWriterThread<readonly ThreadOp[], BatchOutcome>;

  constructor(filePath: string) {
    this.thread = new SqliteWriterThread(
      { filePath, writerModule: __filename },
      { failure: (reason, cause) => new ReadStoreUnavailableError(`read-model writer: ${reason}`, cause) },
    );
  }

  async write(ops: readonly WriteOp[]): Promise<void> {
    // Ids are checked here: a document without one is the projection's error, where a failure on the writer
    // thread would be taken for an outage and retried. A document JSON cannot hold is found there, and answered as
    // the projection's error too (a TypeError, as the read store's own write throws).
    const refused = await this.thread.submit(ops.map((op) => (op.kind === 'put' ? [op.collection, idOf(op.doc), op.doc] : [op.collection, op.id, null])));
    if (refused !== null) throw new TypeError(refused);
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
