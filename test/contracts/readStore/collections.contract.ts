import { expect } from 'chai';
import { expectRejection } from './documents.contract';
import { type OpenReadStore, freshStorePerTest } from './storeFixture';

export function collectionsContract(open: OpenReadStore): void {
  describe('collections', () => {
    const store = freshStorePerTest(open);

    it('lists collections once opened, even before they hold documents', async () => {
      expect(await store().listCollections()).to.deep.equal([]);
      await store().collection('customers');
      await store().collection('accounts', [['name']]);
      expect(await store().listCollections()).to.deep.equal(['accounts', 'customers']);
      expect((await store().collection('customers')).name).to.equal('customers');
    });

    it('drops a collection with its documents; dropping an unknown one is harmless', async () => {
      const doomed = await store().collection('doomed');
      await doomed.put({ _id: 'x' });
      await store().collection('kept');
      await store().dropCollection('doomed');
      await store().dropCollection('never_created');
      expect(await store().listCollections()).to.deep.equal(['kept']);
      expect(await (await store().collection('doomed')).find()).to.deep.equal([]);
    });

    it('a handle kept across a drop sees an empty collection and can write again', async () => {
      const handle = await store().collection('recycled');
      await handle.put({ _id: 'old' });
      await store().dropCollection('recycled');
      expect(await handle.get('old')).to.equal(null);
      await handle.put({ _id: 'new' });
      expect(await handle.find()).to.deep.equal([{ _id: 'new' }]);
    });

    it('creating the same indexes again is a no-op, and indexed queries still answer', async () => {
      const indexes = [['traits.email'], ['tier', 'seats'], ['_id']];
      const first = await store().collection('indexed', indexes);
      await first.put({ _id: 'i1', traits: { email: 'a@x.io' }, tier: 'pro', seats: 3 } as never);
      const second = await store().collection('indexed', indexes);
      expect(await second.find({ 'traits.email': 'a@x.io' })).to.have.length(1);
      expect(await second.count({ tier: 'pro', seats: { $gt: 2 } })).to.equal(1);
    });

    it('refuses collection names and index fields that are not plain identifiers', async () => {
      for (const name of ['', 'a b', 'a;b', 'a"b', 'system.users', '$cmd', 'x'.repeat(200)]) {
        await expectRejection(store().collection(name));
        await expectRejection(store().write([{ kind: 'put', collection: name, doc: { _id: 'x' } }]));
      }
      await expectRejection(store().collection('bad_index', [['a;DROP']]));
      await expectRejection(store().collection('bad_index', [[]]));
      expect(await store().listCollections()).to.deep.equal([]);
    });

    it('answers ping while reachable', async () => {
      await store().ping();
    });
  });
}
