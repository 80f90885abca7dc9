import { expect } from 'chai';
import type { WriteOp } from '../../../src/readstore/port';
import { type OpenReadStore, freshStorePerTest, snapshot } from './storeFixture';

export function writesContract(open: OpenReadStore): void {
  describe('write(ops)', () => {
    const store = freshStorePerTest(open);

    it('applies puts and deletes across collections in the order given', async () => {
      const ops: WriteOp[] = [
        { kind: 'put', collection: 'customers', doc: { _id: 'c1', v: 1 } as never },
        { kind: 'put', collection: 'signals', doc: { _id: 's1' } },
        { kind: 'put', collection: 'customers', doc: { _id: 'c2' } },
        { kind: 'put', collection: 'customers', doc: { _id: 'c1', v: 2 } as never },
        { kind: 'put', collection: 'checkpoints', doc: { _id: 'projection', position: 7 } as never },
      ];
      await store().write(ops);
      expect(await snapshot(store(), 'customers')).to.deep.equal([{ _id: 'c1', v: 2 }, { _id: 'c2' }]);
      expect(await snapshot(store(), 'signals')).to.deep.equal([{ _id: 's1' }]);
      expect(await snapshot(store(), 'checkpoints')).to.deep.equal([{ _id: 'projection', position: 7 }]);
    });

    it('a put then a delete of one id in one call leaves nothing; a delete then a put leaves the put', async () => {
      await store().write([
        { kind: 'put', collection: 'docs', doc: { _id: 'gone' } },
        { kind: 'delete', collection: 'docs', id: 'gone' },
        { kind: 'delete', collection: 'docs', id: 'back' },
        { kind: 'put', collection: 'docs', doc: { _id: 'back' } },
      ]);
      expect(await snapshot(store(), 'docs')).to.deep.equal([{ _id: 'back' }]);
    });

    it('is idempotent: the same write applied twice leaves what applying it once does', async () => {
      await store().write([{ kind: 'put', collection: 'docs', doc: { _id: 'kept', n: 0 } as never }]);
      const ops: WriteOp[] = [
        { kind: 'put', collection: 'docs', doc: { _id: 'a', n: 1 } as never },
        { kind: 'delete', collection: 'docs', id: 'kept' },
        { kind: 'put', collection: 'other', doc: { _id: 'b', list: [1, 2] } as never },
      ];
      await store().write(ops);
      const once = [await snapshot(store(), 'docs'), await snapshot(store(), 'other')];
      await store().write(ops);
      expect([await snapshot(store(), 'docs'), await snapshot(store(), 'other')]).to.deep.equal(once);
      expect(once).to.deep.equal([[{ _id: 'a', n: 1 }], [{ _id: 'b', list: [1, 2] }]]);
    });

    it('an empty write is a no-op', async () => {
      await store().write([]);
      expect(await store().listCollections()).to.deep.equal([]);
    });

    it('creates the collections it writes to', async () => {
      await store().write([{ kind: 'put', collection: 'fresh', doc: { _id: 'x' } }]);
      expect(await store().listCollections()).to.include('fresh');
      expect(await (await store().collection('fresh')).get('x')).to.deep.equal({ _id: 'x' });
    });
  });
}
