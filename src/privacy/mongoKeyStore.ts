import { randomBytes } from 'node:crypto';
import { Binary, MongoClient, MongoServerError } from 'mongodb';
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

  return {
    async keysFor(workspaceId, identityKeys) {
      const ids = [...new Set(identityKeys)].map((k) => keyDocId(workspaceId, k));
      let docs = await load(ids);
      const missing = ids.filter((id) => !docs.get(id)?.key);
      for (const id of missing) {
        const fresh = { kid: `${id}:${randomBytes(6).toString('hex')}`, key: new Binary(randomBytes(32)), createdAt: new Date() };
        if (docs.has(id)) {
          await keys.updateOne({ _id: id, key: null }, { $set: fresh }); // forgotten before: a new key version
        } else {
          await keys.insertOne({ _id: id, ...fresh, forgottenAt: null }).catch((error: unknown) => {
            if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
          });
        }
      }
      if (missing.length) docs = await load(ids);
      const found = new Map<string, LiveKey>();
      for (const identityKey of new Set(identityKeys)) {
        const doc = docs.get(keyDocId(workspaceId, identityKey));
        if (!doc?.key || !doc.kid) throw new Error(`no key could be created for ${identityKey}`);
        found.set(identityKey, { kid: doc.kid, key: Buffer.from(doc.key.buffer), forgottenAt: doc.forgottenAt });
      }
      return found;
    },
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
