import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityKey } from '../../src/domain/ids';
import type { SegmentCall } from '../../src/domain/segment/calls';
import type { KeyStore } from '../../src/privacy/keyStore';
import { openMongoKeyStore } from '../../src/privacy/mongoKeyStore';
import { PersonalDataCipher } from '../../src/privacy/personalDataCipher';
import { openSqliteKeyStore } from '../../src/privacy/sqliteKeyStore';

interface Engine {
  readonly name: string;
  open(): Promise<{ keys: KeyStore; cleanup: () => Promise<void>; fileText?: () => string }>;
}

const engines: Engine[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'cscx-keys-'));
      const file = join(dir, 'keys.db');
      const keys = openSqliteKeyStore(file);
      return { keys, cleanup: async () => rmSync(dir, { recursive: true, force: true }), fileText: () => [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('') };
    },
  },
];
if (process.env.MONGODB_URI) {
  engines.push({
    name: 'mongodb',
    async open() {
      const database = 'cscx_keys_' + randomUUID().replace(/-/g, '').slice(0, 12);
      const keys = await openMongoKeyStore(process.env.MONGODB_URI!, database);
      return {
        keys,
        cleanup: async () => {
          const { MongoClient } = await import('mongodb');
          const client = await MongoClient.connect(process.env.MONGODB_URI!);
          await client.db(database).dropDatabase().catch(() => undefined);
          await client.close();
        },
      };
    },
  });
}

const identify = (userId: string, email: string, timestamp: string) =>
  ({ type: 'identify', userId, messageId: randomUUID(), timestamp, receivedAt: timestamp, traits: { email, plan: 'pro' } }) as unknown as SegmentCall;

for (const engine of engines) {
  describe(`Key store and personal data cipher (${engine.name})`, () => {
    let store: Awaited<ReturnType<Engine['open']>>;
    beforeEach(async () => {
      store = await engine.open();
    });
    afterEach(async () => {
      await store.keys.close();
      await store.cleanup();
    });

    it('gives every caller the same key for an identity, even concurrently', async () => {
      const answers = await Promise.all([1, 2, 3].map(() => store.keys.keysFor('ws', ['u_1', 'u_2'])));
      const kids = answers.map((a) => a.get('u_1')!.kid);
      expect(new Set(kids).size).to.equal(1);
      expect(answers[0]!.get('u_1')!.key.equals(answers[2]!.get('u_1')!.key)).to.equal(true);
      expect(answers[0]!.get('u_1')!.kid).not.to.equal(answers[0]!.get('u_2')!.kid);
    });

    it('seals personal data so that only the live key opens it, and a destroyed key opens nothing', async () => {
      const cipher = new PersonalDataCipher(store.keys);
      const [sealed] = await cipher.sealCalls('ws', [identify('ann', 'ann@acme.com', '2026-01-01T00:00:00.000Z')]);
      expect(JSON.stringify(sealed)).not.to.include('ann@acme.com');
      expect((await cipher.openCall(sealed!)).traits).to.deep.equal({ email: 'ann@acme.com', plan: 'pro' });

      const annKey = identityKey('ws', 'user', 'ann');
      const live = (await store.keys.keysFor('ws', [annKey])).get(annKey)!;
      if (store.fileText) expect(store.fileText()).to.include(live.key.toString('latin1'));
      await cipher.forget('ws', [annKey], new Date().toISOString());
      // A fresh cipher: nothing cached in memory can help; and the key's bytes are gone from the file.
      const reopened = await new PersonalDataCipher(store.keys).openCall(sealed!);
      expect(reopened.traits).to.deep.equal({});
      if (store.fileText) expect(store.fileText()).not.to.include(live.key.toString('latin1'));

      // After the deletion the person may come back: new data gets a new key, data dated before stays sealed away.
      const [again, late] = await cipher.sealCalls('ws', [
        identify('ann', 'ann.new@acme.com', new Date(Date.now() + 86_400_000).toISOString()),
        identify('ann', 'ann.old@acme.com', new Date(Date.now() - 86_400_000).toISOString()),
      ]);
      expect((await cipher.openCall(again!)).traits).to.deep.equal({ email: 'ann.new@acme.com', plan: 'pro' });
      expect(JSON.stringify(late)).not.to.include('ann.old');
    });

    it('does not destroy a key made after the deletion when the deletion is replayed', async () => {
      const deletedAt = new Date(Date.now() - 1000).toISOString();
      await store.keys.destroy('ws', ['u_9'], deletedAt);
      const fresh = (await store.keys.keysFor('ws', ['u_9'])).get('u_9')!;
      await store.keys.destroy('ws', ['u_9'], deletedAt);
      expect((await store.keys.keysById([fresh.kid])).has(fresh.kid)).to.equal(true);
    });
  });
}
