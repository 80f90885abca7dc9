import { randomBytes } from 'node:crypto';
import { Binary, MongoBulkWriteError, MongoClient, MongoServerError } from 'mongodb';
import { CoalescingBatcher } from '../shared/coalescingBatcher';
import { docIdOfKid, KeyStore, keyDocId, LiveKey } from './keyStore';

interface KeyDoc {
  _id: string;
  kid: string | null;
  key: Binary | null;
  createdAt: Date;
  forgottenAt: string | null;
}

/**
 * The key store on MongoDB (production): a collection of its own, `identity_keys`, next to the read models but
 * never dropped with them. Creating a key is an insert that loses gracefully to a concurrent insert (the unique
 * `_id`), so every instance of the service agrees on one key per identity.
 */
export async function openMongoKeyStore(uri: string, database: string): Promise<KeyStore> {
  const client = await MongoClient.connect(uri);
  const keys = client.db(database).collection<KeyDoc>('identity_keys');
  const load = async (ids: string[]) => new Map((await keys.find({ _id: { $in: ids } }).toArray()).map((d) => [d._id, d]));

  /** Creates the missing keys of many requests at once: one read, one insert of the new ones, one read back. */
  const keysForAll = async (requests: { workspaceId: string; identityKeys: readonly string[] }[]) => {
    const ids = [...new Set(requests.flatMap((r) => r.identityKeys.map((k) => keyDocId(r.workspaceId, k))))];
    let docs = await load(ids);
    const missing = ids.filter((id) => !docs.get(id)?.key);
    const fresh = (id: string) => ({ kid: `${id}:${randomBytes(6).toString('hex')}`, key: new Binary(randomBytes(32)), createdAt: new Date() });
    for (const id of missing.filter((id) => docs.has(id))) {
      await keys.updateOne({ _id: id, key: null }, { $set: fresh(id) }); // forgotten before: a new key version
    }
    const brandNew = missing.filter((id) => !docs.has(id));
    if (brandNew.length) {
      // Unordered: a key another instance created meanwhile (duplicate _id) does not stop the others.
      await keys.insertMany(brandNew.map((id) => ({ _id: id, ...fresh(id), forgottenAt: null })), { ordered: false }).catch((error: unknown) => {
        if (!isOnlyDuplicateKeys(error)) throw error;
      });
    }
    if (missing.length) docs = await load(ids);
    return requests.map(({ workspaceId, identityKeys }) => {
      const found = new Map<string, LiveKey>();
      for (const identityKey of new Set(identityKeys)) {
        const doc = docs.get(keyDocId(workspaceId, identityKey));
        if (!doc?.key || !doc.kid) throw new Error(`no key could be created for ${identityKey}`);
        found.set(identityKey, { kid: doc.kid, key: Buffer.from(doc.key.buffer), forgottenAt: doc.forgottenAt });
      }
      return found;
    });
  };
  // Concurrent webhook requests share those round trips.
  const batcher = new CoalescingBatcher(keysForAll);

  return {
    keysFor: (workspaceId, identityKeys) => batcher.submit({ workspaceId, identityKeys }),
    async keysById(kids) {
      const wanted = [...new Set(kids)];
      const docs = await load(wanted.map(docIdOfKid).filter((id): id is string => id !== undefined));
      const found = new Map<string, Buffer>();
      for (const kid of wanted) {
        const doc = docs.get(docIdOfKid(kid) ?? '');
        if (doc?.key && doc.kid === kid) found.set(kid, Buffer.from(doc.key.buffer));
      }
      return found;
    },
    async destroy(workspaceId, identityKeys, at) {
      for (const identityKey of new Set(identityKeys)) {
        const _id = keyDocId(workspaceId, identityKey);
        const previous = await keys.findOne({ _id });
        const forgottenAt = previous?.forgottenAt && previous.forgottenAt > at ? previous.forgottenAt : at;
        // Only a key made before the deletion goes: replaying an old deletion must not destroy a newer key.
        const madeBefore = !previous || previous.createdAt.getTime() <= Date.parse(at);
        const change = madeBefore ? { kid: null, key: null, forgottenAt } : { forgottenAt };
        await keys.updateOne({ _id }, { $set: change, $setOnInsert: { createdAt: new Date(Date.parse(at)) } }, { upsert: true });
      }
    },
    async close() {
      await client.close();
    },
  };
}

/** A bulk insert that failed only because some keys existed already (created concurrently elsewhere). */
function isOnlyDuplicateKeys(error: unknown): boolean {
  if (error instanceof MongoBulkWriteError) {
    const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    return errors.length > 0 && errors.every((e) => e.code === 11000);
  }
  return error instanceof MongoServerError && error.code === 11000;
}
