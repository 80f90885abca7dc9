import { expect } from 'chai';
import type { SegmentCall } from '../../src/domain/segment/calls';
import { identityKey } from '../../src/domain/ids';
import { docId, IDENTITY_LINKS } from '../../src/projections/attribution/documents';
import { readModelCustomerDirectory } from '../../src/projections/attribution/readModelDirectory';
import { ReadModelVersions } from '../../src/projections/readModelVersion';
import { openSqliteReadStore } from '../../src/readstore/sqlite';
import { ReadStore, ReadStoreUnavailableError } from '../../src/readstore/port';

const call = (userId: string) => ({ type: 'track', userId, event: 'Seen', messageId: userId, timestamp: '2026-11-01T00:00:00.000Z' }) as unknown as SegmentCall;
const linkOf = (userId: string, customerId: string) => {
  const key = identityKey('ws', 'user', userId);
  return { _id: docId('ws', key), _pos: 1, workspaceId: 'ws', identityKey: key, customerId, groupedAt: null };
};

describe('Routing look-ups for ingestion', () => {
  let store: ReadStore;
  let now: number;
  let reads: number;
  let down: boolean;
  const directory = () =>
    readModelCustomerDirectory(
      {
        ...store,
        collection: async (name, indexes) => {
          if (down) throw new ReadStoreUnavailableError('down');
          reads += 1;
          return store.collection(name, indexes);
        },
      },
      () => true,
      ReadModelVersions.fixed('attribution'),
      () => now,
    );
  const customerOf = async (dir: ReturnType<typeof directory>, userId: string) =>
    (await dir.lookupFor('ws', [call(userId)])).customerOfIdentity(identityKey('ws', 'user', userId));

  beforeEach(async () => {
    store = await openSqliteReadStore(':memory:');
    now = 1_000_000;
    reads = 0;
    down = false;
  });
  afterEach(async () => store.close());

  it('reuses an answer for two seconds, then asks the read model again', async () => {
    const dir = directory();
    expect(await customerOf(dir, 'ann')).to.equal(undefined);
    await store.write([{ kind: 'put', collection: IDENTITY_LINKS, doc: linkOf('ann', 'acme') }]);

    now += 1000;
    expect(await customerOf(dir, 'ann'), 'within the two seconds: the remembered answer').to.equal(undefined);
    expect(reads).to.equal(1);
    now += 1500;
    expect(await customerOf(dir, 'ann'), 'after them: the read model').to.equal('acme');
    expect(reads).to.equal(2);
  });

  it('does not remember the nothing an outage answers', async () => {
    await store.write([{ kind: 'put', collection: IDENTITY_LINKS, doc: linkOf('bob', 'globex') }]);
    const dir = directory();
    down = true;
    expect(await customerOf(dir, 'bob')).to.equal(undefined);
    down = false;
    expect(await customerOf(dir, 'bob')).to.equal('globex');
  });
});
