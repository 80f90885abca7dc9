import { expect } from 'chai';
import type { Collection, Doc, ReadStore } from '../../src/readstore/port';
import { ProjectedDoc, UnitOfWork } from '../../src/projections/unitOfWork';
import { countingReadStore } from '../support/countingReadStore';
import { freshReadStorePerTest } from '../support/freshReadStore';

interface Counter extends ProjectedDoc {
  readonly count: number;
}

/** The documents a batch would put, in order. */
const putDocs = (uow: UnitOfWork) => uow.writes().map((op) => (op.kind === 'put' ? op.doc : { deleted: op.id }));

const increment = (uow: UnitOfWork, id: string, position: number) =>
  uow.update<Counter>('counters', id, position, (doc) => ({ _id: id, count: (doc?.count ?? 0) + 1 }));

describe('UnitOfWork (one batch of a projection)', () => {
  const fresh = freshReadStorePerTest('cscx-uow-');

  it('reads a document once and writes it once however many events of the batch change it', async () => {
    const { store: counted, lookups } = countingReadStore(fresh.store);
    const uow = new UnitOfWork(counted, (name) => name);
    for (let position = 1; position <= 50; position++) await increment(uow, 'acme', position);

    expect(lookups()).to.equal(1);
    const writes = uow.writes();
    expect(writes).to.have.length(1);
    expect(writes[0]).to.deep.include({ kind: 'put', collection: 'counters' });
    expect(putDocs(uow)).to.deep.equal([{ _id: 'acme', count: 50, _pos: 50 }]);
  });

  it('writes documents in the order of their last change, into the physical collections', async () => {
    const uow = new UnitOfWork(fresh.store, (name) => `v2_${name}`);
    await increment(uow, 'a', 1);
    await increment(uow, 'b', 2);
    uow.put('notes', { _id: 'n1' });
    await increment(uow, 'a', 3);
    uow.delete('notes', 'n2');

    expect(uow.writes().map((op) => [op.collection, op.kind === 'put' ? op.doc._id : op.id])).to.deep.equal([
      ['v2_counters', 'b'],
      ['v2_notes', 'n1'],
      ['v2_counters', 'a'],
      ['v2_notes', 'n2'],
    ]);
  });

  it('skips events a stored document has seen (a re-delivered batch counts nothing twice)', async () => {
    const stored: Counter = { _id: 'acme', count: 3, _pos: 3 };
    await fresh.store.write([{ kind: 'put', collection: 'counters', doc: stored }]);
    const uow = new UnitOfWork(fresh.store, (name) => name);
    await uow.prefetch('counters', ['acme', 'missing']);
    for (let position = 2; position <= 5; position++) await increment(uow, 'acme', position);
    await increment(uow, 'missing', 4);

    expect(putDocs(uow)).to.deep.equal([
      { _id: 'acme', count: 5, _pos: 5 },
      { _id: 'missing', count: 1, _pos: 4 },
    ]);
  });

  it('applies every change one event makes to the same document', async () => {
    const uow = new UnitOfWork(fresh.store, (name) => name);
    await increment(uow, 'acme', 7);
    await increment(uow, 'acme', 7);
    expect(putDocs(uow)).to.deep.equal([{ _id: 'acme', count: 2, _pos: 7 }]);
  });

  it('leaves a document it was given as it is when a change returns it unchanged (it may be the previous batch\'s)', async () => {
    const shared: Counter = Object.freeze({ _id: 'acme', count: 3, _pos: 3 });
    const collection = await fresh.store.collection<Counter>('counters');
    const sharing: ReadStore = {
      ...fresh.store,
      collection: async <T extends Doc>() => ({ ...collection, get: async () => shared, getMany: async () => [shared] }) as never as Collection<T>,
    };
    const uow = new UnitOfWork(sharing, (name) => name);
    await uow.update<Counter>('counters', 'acme', 4, (doc) => doc);
    await increment(uow, 'acme', 5);

    expect(shared).to.deep.equal({ _id: 'acme', count: 3, _pos: 3 });
    expect(putDocs(uow)).to.deep.equal([{ _id: 'acme', count: 4, _pos: 5 }]);
  });

  it('answers get with the document as last changed, and a failing change as a rejection', async () => {
    const uow = new UnitOfWork(fresh.store, (name) => name);
    await increment(uow, 'acme', 1);
    expect(await uow.get('counters', 'acme')).to.deep.equal({ _id: 'acme', count: 1, _pos: 1 });
    await increment(uow, 'acme', 2);
    expect(await uow.get('counters', 'acme')).to.deep.equal({ _id: 'acme', count: 2, _pos: 2 });

    let failure: unknown;
    const updating = uow.update<Counter>('counters', 'acme', 3, () => {
      throw new Error('mapping broken');
    });
    await updating.catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(Error).with.property('message', 'mapping broken');
    expect(await uow.get('counters', 'acme')).to.deep.include({ count: 2 });
  });

  it('deletes a document changed earlier in the batch with a single delete', async () => {
    const uow = new UnitOfWork(fresh.store, (name) => name);
    await increment(uow, 'acme', 1);
    await uow.update<Counter>('counters', 'acme', 2, () => null);
    expect(uow.writes()).to.deep.equal([{ kind: 'delete', collection: 'counters', id: 'acme' }]);
    expect(await uow.get('counters', 'acme')).to.equal(null);
  });
});
