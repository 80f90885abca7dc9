import { expect } from 'chai';
import { forgetIdsOf, identityKey, idsMemoHolds } from '../../src/domain/ids';
import type { SegmentCall } from '../../src/domain/segment/calls';
import { draftOf } from '../../src/live/liveEvent';
import { LiveFeed } from '../../src/live/liveFeed';
import type { KeyStore } from '../../src/privacy/keyStore';
import { PersonalDataCipher } from '../../src/privacy/personalDataCipher';
import { openSqliteKeyStore } from '../../src/privacy/sqliteKeyStore';
import { docId, IDENTITY_LINKS } from '../../src/projections/attribution/documents';
import { readModelCustomerDirectory } from '../../src/projections/attribution/readModelDirectory';
import { ReadModelVersions } from '../../src/projections/readModelVersion';
import type { ReadStore } from '../../src/readstore/port';
import { openSqliteReadStore } from '../../src/readstore/sqlite';
import { WORKSPACES } from '../../src/workspaces/workspace';
import { WorkspaceRegistry } from '../../src/workspaces/workspaceRegistry';

const at = '2026-03-01T10:00:00.000Z';
const track = (userId: string): SegmentCall =>
  ({ type: 'track', event: 'Seen', userId, messageId: `m-${userId}`, timestamp: at, receivedAt: at, properties: {}, context: { ip: '203.0.113.9' } }) as unknown as SegmentCall;

describe('Caches of a removed workspace', () => {
  let store: ReadStore;
  beforeEach(async () => {
    store = await openSqliteReadStore(':memory:');
  });
  afterEach(async () => store.close());

  it('the registry reports each workspace a reload finds gone from the store, once', async () => {
    const registry = await WorkspaceRegistry.open(store);
    await registry.create({ id: 'acme', name: 'Acme' });
    await registry.create({ id: 'globex', name: 'Globex' });
    const removed: string[] = [];
    registry.onRemoved((id) => removed.push(id));

    await registry.reload();
    expect(removed).to.deep.equal([]);
    await (await store.collection(WORKSPACES)).delete('globex');
    await registry.reload();
    await registry.reload();
    expect(removed).to.deep.equal(['globex']);
    expect(registry.get('globex')).to.equal(undefined);
    expect(registry.get('acme')).to.not.equal(undefined);
  });

  it("the cipher asks the key store again for a removed workspace's keys, and not for another's", async () => {
    const inner = openSqliteKeyStore(':memory:');
    const asked: string[] = [];
    const keys: KeyStore = {
      ...inner,
      keysFor: (workspaceId, identityKeys) => (asked.push(`keysFor ${workspaceId}`), inner.keysFor(workspaceId, identityKeys)),
      keysById: (kids) => (asked.push(...kids.map((kid) => `keysById ${kid.split(':')[0]}`)), inner.keysById(kids)),
    };
    try {
      const sealAndOpen = async () => {
        for (const ws of ['acme', 'globex']) {
          const [sealed] = await new PersonalDataCipher(inner).sealCalls(ws, [track('ann')]); // sealed elsewhere: opening needs the key by id
          await cipher.sealCalls(ws, [track('ann')]);
          expect((await cipher.openCall(sealed!)).context).to.deep.equal({ ip: '203.0.113.9' });
        }
      };
      const cipher = new PersonalDataCipher(keys);
      await sealAndOpen();
      expect(asked).to.deep.equal(['keysFor acme', 'keysById acme', 'keysFor globex', 'keysById globex']);

      asked.length = 0;
      cipher.forgetWorkspace('globex');
      await sealAndOpen();
      expect(asked).to.deep.equal(['keysFor globex', 'keysById globex']);
    } finally {
      await inner.close();
    }
  });

  it("the routing directory forgets a removed workspace's answers and keeps the others'", async () => {
    let reads = 0;
    const counting: ReadStore = { ...store, collection: async (name, indexes) => (reads++, store.collection(name, indexes)) };
    const directory = readModelCustomerDirectory(counting, () => true, ReadModelVersions.fixed('attribution'));
    const ann = identityKey('acme', 'user', 'ann');
    const bob = identityKey('globex', 'user', 'bob');
    const customerOfAnn = async () => (await directory.lookupFor('acme', [track('ann')])).customerOfIdentity(ann);
    const customerOfBob = async () => (await directory.lookupFor('globex', [track('bob')])).customerOfIdentity(bob);

    expect(await customerOfAnn()).to.equal(undefined);
    expect(await customerOfBob()).to.equal(undefined);
    const link = (workspaceId: string, key: string) => ({ _id: docId(workspaceId, key), _pos: 1, workspaceId, identityKey: key, customerId: 'c1', groupedAt: null });
    await store.write([
      { kind: 'put', collection: IDENTITY_LINKS, doc: link('acme', ann) },
      { kind: 'put', collection: IDENTITY_LINKS, doc: link('globex', bob) },
    ]);
    expect(await customerOfAnn(), 'remembered').to.equal(undefined);
    expect(reads).to.equal(2);
    directory.forgetWorkspace!('acme');
    expect(await customerOfAnn(), 'asked again').to.equal('c1');
    expect(await customerOfBob(), 'still remembered').to.equal(undefined);
    expect(reads).to.equal(3);
  });

  it("the live feed drops a removed workspace's latest events and keeps the others'", () => {
    const feed = new LiveFeed();
    feed.publish([draftOf('acme', 'stored', null, { messageId: 'a1' }), draftOf('globex', 'stored', null, { messageId: 'g1' })]);
    feed.forgetWorkspace('globex');
    expect(feed.recent('globex')).to.deep.equal([]);
    expect(feed.recent('acme').map((e) => e.messageId)).to.deep.equal(['a1']);
  });

  it("the memo of identity keys drops a removed workspace's and still derives the same keys afterwards", () => {
    const before = identityKey('gone_ws', 'user', 'ann');
    identityKey('kept_ws', 'user', 'ann');
    forgetIdsOf('gone_ws');
    expect(idsMemoHolds('gone_ws')).to.equal(false);
    expect(idsMemoHolds('kept_ws')).to.equal(true);
    expect(identityKey('gone_ws', 'user', 'ann')).to.equal(before);
  });
});
