import { type AnyBulkWriteOperation, MongoClient, MongoServerError } from 'mongodb';
import type { Doc, IndexSpec, ReadStore, WriteOp } from '../port';
import { assertDocument, mongoCollection } from './mongoCollection';
import { toReadStoreError, unlessUnavailable } from './mongoErrors';
import { assertFieldPath, type StringKeyed } from './mongoFilter';

const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const NAMESPACE_EXISTS = 48;
const NAMESPACE_NOT_FOUND = 26;

/**
 * The read store on MongoDB (FerretDB 1.24 in tests): only single-document writes, ordered bulk writes and
 * plain queries, since FerretDB has no transactions, change streams or pipeline updates.
 *
 * A short server-selection timeout turns an outage into ReadStoreUnavailableError within seconds; the driver
 * keeps monitoring the server and serves requests again as soon as it is back.
 */
export async function openMongoReadStore(uri: string, dbName: string): Promise<ReadStore> {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: 2000,
    connectTimeoutMS: 2000,
    // Like JSON in the SQLite adapter: an undefined field is left out rather than stored as null.
    ignoreUndefined: true,
  });
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => undefined);
    throw toReadStoreError(error);
  }
  const db = client.db(dbName);
  const driverCollection = (name: string) => {
    assertCollectionName(name);
    return db.collection<StringKeyed>(name);
  };

  return {
    collection: <T extends Doc>(name: string, indexes: readonly IndexSpec[] = []) =>
      unlessUnavailable(async () => {
        const collection = driverCollection(name);
        indexes.forEach(assertIndexSpec); // before creating anything, so a bad spec leaves no trace
        await db.createCollection(name).catch(ignoreCode(NAMESPACE_EXISTS));
        for (const spec of indexes) {
          // Same keys, same default name: creating an index that exists is a no-op.
          await collection.createIndex(Object.fromEntries(spec.map((field) => [field, 1])));
        }
        return mongoCollection<T>(collection);
      }),
    write: (ops) =>
      unlessUnavailable(async () => {
        for (const batch of consecutiveByCollection(ops)) {
          await driverCollection(batch.collection).bulkWrite(batch.operations, { ordered: true });
        }
      }),
    dropCollection: (name) =>
      unlessUnavailable(async () => {
        await driverCollection(name).drop().catch(ignoreCode(NAMESPACE_NOT_FOUND));
      }),
    listCollections: () =>
      unlessUnavailable(async () => {
        const infos = await db.listCollections({}, { nameOnly: true }).toArray();
        return infos.map((info) => info.name).filter((name) => !name.startsWith('system.')).sort();
      }),
    ping: () =>
      unlessUnavailable(async () => {
        await db.command({ ping: 1 });
      }),
    close: () => client.close(),
  };
}

interface Batch {
  readonly collection: string;
  readonly operations: AnyBulkWriteOperation<StringKeyed>[];
}

/** Keeps the caller's order: a new batch starts whenever the collection changes. */
function consecutiveByCollection(ops: readonly WriteOp[]): Batch[] {
  const batches: Batch[] = [];
  for (const op of ops) {
    let last = batches[batches.length - 1];
    if (last === undefined || last.collection !== op.collection) {
      last = { collection: op.collection, operations: [] };
      batches.push(last);
    }
    last.operations.push(toBulkOperation(op));
  }
  return batches;
}

function toBulkOperation(op: WriteOp): AnyBulkWriteOperation<StringKeyed> {
  switch (op.kind) {
    case 'put':
      assertDocument(op.doc);
      return { replaceOne: { filter: { _id: op.doc._id }, replacement: op.doc, upsert: true } };
    case 'delete':
      return { deleteOne: { filter: { _id: op.id } } };
    default:
      throw new TypeError(`Unknown write op ${JSON.stringify((op as { kind?: unknown }).kind)}`);
  }
}

function assertCollectionName(name: string): void {
  if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) {
    throw new TypeError(`Invalid collection name ${JSON.stringify(name)}: expected ${COLLECTION_NAME}`);
  }
}

function assertIndexSpec(spec: IndexSpec): void {
  if (!Array.isArray(spec) || spec.length === 0) throw new TypeError('An index needs at least one field');
  spec.forEach(assertFieldPath);
}

function ignoreCode(code: number) {
  return (error: unknown): void => {
    if (!(error instanceof MongoServerError && error.code === code)) throw error;
  };
}
