import { expect } from 'chai';
import type { Collection, Doc } from '../../../src/readstore/port';
import { expectRejection } from './documents.contract';
import { type OpenReadStore, freshStorePerTest, ids } from './storeFixture';

type Account = Doc & { tier?: string | null; stats?: { seats?: number }; name: string };

// Sort keys are unique where a test asserts an exact order; ties are left to the store.
const accounts: Account[] = [
  { _id: 'a1', name: 'delta', tier: 'pro', stats: { seats: 10 } },
  { _id: 'a2', name: 'alpha', tier: 'free', stats: { seats: 1 } },
  { _id: 'a3', name: 'echo', tier: 'pro', stats: { seats: 3 } },
  { _id: 'a4', name: 'bravo', tier: 'enterprise', stats: { seats: 250 } },
  { _id: 'a5', name: 'charlie', tier: 'free', stats: { seats: 2 } },
  { _id: 'a6', name: 'foxtrot', tier: null, stats: {} },
  { _id: 'a7', name: 'golf' },
];

export function sortingContract(open: OpenReadStore): void {
  describe('sorting and paging', () => {
    const store = freshStorePerTest(open);
    let collection: Collection<Account>;

    beforeEach(async () => {
      collection = await store().collection<Account>('accounts', [['tier', 'stats.seats']]);
      await store().write(accounts.map((doc) => ({ kind: 'put', collection: 'accounts', doc })));
    });

    it('sorts by a field ascending and descending', async () => {
      const ascending = ['a2', 'a4', 'a5', 'a1', 'a3', 'a6', 'a7'];
      expect(ids(await collection.find({}, { sort: [['name', 1]] }))).to.deep.equal(ascending);
      expect(ids(await collection.find({}, { sort: [['name', -1]] }))).to.deep.equal([...ascending].reverse());
    });

    it('sorts by a dotted path, missing values first when ascending and last when descending', async () => {
      const bySeats = ids(await collection.find({}, { sort: [['stats.seats', 1]] }));
      expect(bySeats.slice(0, 2).sort()).to.deep.equal(['a6', 'a7']);
      expect(bySeats.slice(2)).to.deep.equal(['a2', 'a5', 'a3', 'a1', 'a4']);
      const descending = ids(await collection.find({}, { sort: [['stats.seats', -1]] }));
      expect(descending.slice(0, 5)).to.deep.equal(['a4', 'a1', 'a3', 'a5', 'a2']);
    });

    it('sorts by several keys, the later ones breaking ties of the earlier', async () => {
      const sorted = await collection.find({ tier: { $exists: true, $ne: null } }, {
        sort: [['tier', 1], ['stats.seats', -1]],
      });
      expect(ids(sorted)).to.deep.equal(['a4', 'a5', 'a2', 'a1', 'a3']);
    });

    it('orders values of different types by type: null, numbers, strings, booleans', async () => {
      const mixed = await store().collection<Doc & { v?: unknown }>('mixed');
      const values: [string, unknown][] = [['s', 'text'], ['t', true], ['n', 5], ['z', null], ['f', false]];
      values.push(['m', -2.5]);
      for (const [id, v] of values) await mixed.put({ _id: id, v });
      expect(ids(await mixed.find({}, { sort: [['v', 1]] }))).to.deep.equal(['z', 'm', 'n', 's', 'f', 't']);
    });

    it('applies skip then limit after sorting, so pages tile the result without overlap', async () => {
      const sort = [['name', 1]] as const;
      const pages = [];
      for (let skip = 0; skip < 9; skip += 3) pages.push(ids(await collection.find({}, { sort, skip, limit: 3 })));
      expect(pages).to.deep.equal([['a2', 'a4', 'a5'], ['a1', 'a3', 'a6'], ['a7']]);
      expect(ids(await collection.find({ tier: 'pro' }, { sort, limit: 1 }))).to.deep.equal(['a1']);
      expect(ids(await collection.find({}, { sort, skip: 5 }))).to.deep.equal(['a6', 'a7']);
      expect(await collection.find({}, { sort, skip: 50 })).to.deep.equal([]);
    });

    it('limit 0 returns no documents, and negative or fractional paging is refused', async () => {
      expect(await collection.find({}, { limit: 0 })).to.deep.equal([]);
      await expectRejection(collection.find({}, { limit: -1 }));
      await expectRejection(collection.find({}, { skip: -1 }));
      await expectRejection(collection.find({}, { limit: 1.5 }));
    });
  });
}
