import { expect } from 'chai';
import { type Doc, ReadStoreUnavailableError } from '../../src/readstore/port';
import { SqliteWriteAside } from '../../src/readstore/sqlite/writeAside';
import { freshReadStorePerTest } from '../support/freshReadStore';

/** Documents here carry any fields. */
type AnyDoc = Doc & Record<string, unknown>;

describe('Read-model writer thread (documents cross as objects, stored as JSON there)', () => {
  let aside: SqliteWriteAside;
  // The writer thread's connection is closed before the store's, and the folder goes last.
  const fresh = freshReadStorePerTest('cscx-aside-', () => aside.close());

  beforeEach(async () => {
    await fresh.store.collection('people');
    aside = new SqliteWriteAside(fresh.file);
  });

  it('stores each document as the read store would: nested values, a "__proto__" key as data, no undefined fields', async () => {
    const traits = JSON.parse('{"__proto__":{"admin":true},"plan":"pro"}') as Record<string, unknown>;
    await aside.write([
      { kind: 'put', collection: 'people', doc: { _id: 'p1', traits, seen: ['2026-11-01'], left: undefined, _pos: 3 } as AnyDoc },
      { kind: 'put', collection: 'people', doc: { _id: 'p2', _pos: 4 } as AnyDoc },
    ]);
    await aside.write([{ kind: 'delete', collection: 'people', id: 'p2' }]);

    const people = await fresh.store.collection<AnyDoc>('people');
    const p1 = await people.get('p1');
    expect(p1).to.deep.equal({ _id: 'p1', traits: JSON.parse('{"__proto__":{"admin":true},"plan":"pro"}'), seen: ['2026-11-01'], _pos: 3 });
    expect(Object.prototype.hasOwnProperty.call(p1?.traits, '__proto__')).to.equal(true);
    expect(({} as { admin?: unknown }).admin).to.equal(undefined);
    expect(await people.get('p2')).to.equal(null);
  });

  it('refuses a document without an id as an error of the projection, writing nothing of its batch', async () => {
    let refused: unknown;
    await aside.write([
      { kind: 'put', collection: 'people', doc: { _id: 'p3' } },
      { kind: 'put', collection: 'people', doc: { name: 'no id' } as unknown as Doc },
    ]).catch((error: unknown) => (refused = error));
    expect(refused).to.be.instanceOf(TypeError);
    expect(await (await fresh.store.collection('people')).get('p3')).to.equal(null);
  });

  it('refuses a document JSON cannot hold (a BigInt, a cycle) as an error of the projection, not an outage, and goes on', async () => {
    const cyclic: Record<string, unknown> = { _id: 'p6' };
    cyclic.self = cyclic;
    for (const unstorable of [{ _id: 'p5', seats: 10n }, cyclic]) {
      let refused: unknown;
      await aside.write([
        { kind: 'put', collection: 'people', doc: { _id: 'p4' } },
        { kind: 'put', collection: 'people', doc: unstorable as unknown as Doc },
      ]).catch((error: unknown) => (refused = error));
      // An outage (ReadStoreUnavailableError) would be retried as it is; this is the batch's own fault.
      expect(refused).to.be.instanceOf(TypeError);
      expect(refused).not.to.be.instanceOf(ReadStoreUnavailableError);
      expect((refused as Error).message).to.contain(`document ${unstorable._id} of people`);
      expect(await (await fresh.store.collection('people')).get('p4')).to.equal(null); // nothing of its batch
    }
    // The writer thread is still there, and writes the next batch.
    await aside.write([{ kind: 'put', collection: 'people', doc: { _id: 'p7', _pos: 1 } as AnyDoc }]);
    expect(await (await fresh.store.collection('people')).get('p7')).to.deep.equal({ _id: 'p7', _pos: 1 });
  });
});
