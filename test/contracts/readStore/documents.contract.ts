import { expect } from 'chai';
import type { Doc } from '../../../src/readstore/port';
import { type OpenReadStore, freshStorePerTest } from './storeFixture';

/** A document using every kind of value the port stores, with text that breaks naive quoting. */
const richDocument = {
  _id: "rich'\"; DROP TABLE x; --",
  text: 'quotes \' " ` backslash \\ newline \n tab \t percent % underscore _ question ?',
  unicode: 'héllo wörld ✓ 日本語 😀 \u00a0 \u2028',
  empty: '',
  integer: 42,
  negative: -7,
  float: 3.25,
  largeSafe: Number.MAX_SAFE_INTEGER,
  tiny: 1e-9,
  yes: true,
  no: false,
  nothing: null,
  // No arrays inside arrays: FerretDB 1.24 refuses them ("nested arrays are not supported").
  list: [1, 'two', true, null, { three: 3, inner: [4] }],
  emptyList: [],
  emptyObject: {},
  nested: { level1: { level2: { level3: 'deep', numbers: [1.5, 2.5] } } },
};

export function documentsContract(open: OpenReadStore): void {
  describe('documents', () => {
    const store = freshStorePerTest(open);

    it('returns null for an id that was never put', async () => {
      const people = await store().collection('people');
      expect(await people.get('nobody')).to.equal(null);
    });

    it('returns a put document unchanged, whatever its values', async () => {
      const docs = await store().collection<typeof richDocument>('docs');
      await docs.put(richDocument);
      expect(await docs.get(richDocument._id)).to.deep.equal(richDocument);
      expect(await docs.find({ unicode: richDocument.unicode })).to.deep.equal([richDocument]);
    });

    it('keeps __proto__ keys as plain data, without touching any prototype', async () => {
      const hostile = JSON.parse(
        '{"_id":"p","__proto__":{"polluted":true},"nested":{"__proto__":{"isAdmin":true}},"label":"x"}',
      ) as Doc & Record<string, unknown>;
      const docs = await store().collection('docs');
      await docs.put(hostile);
      const [read] = await docs.find({ label: 'x' });
      const got = (await docs.get('p')) as unknown as Record<string, unknown>;
      for (const doc of [got, read as unknown as Record<string, unknown>]) {
        expect(Object.getPrototypeOf(doc)).to.equal(Object.prototype);
        expect(Object.prototype.hasOwnProperty.call(doc, '__proto__')).to.equal(true);
        expect(doc['__proto__']).to.deep.equal({ polluted: true });
        expect((doc['nested'] as Record<string, unknown>)['__proto__']).to.deep.equal({ isAdmin: true });
      }
      expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
      expect(({} as Record<string, unknown>)['isAdmin']).to.equal(undefined);
    });

    it('leaves out fields whose value is undefined instead of storing null', async () => {
      const docs = await store().collection<Doc & { a?: number; b?: number }>('docs');
      await docs.put({ _id: 'u', a: 1, b: undefined });
      const got = await docs.get('u');
      expect(got).to.deep.equal({ _id: 'u', a: 1 });
      expect(got).not.to.have.property('b');
    });

    it('replaces the whole document on put: fields missing from the new version are gone', async () => {
      const docs = await store().collection<Doc & { a?: number; b?: number }>('docs');
      await docs.put({ _id: 'x', a: 1, b: 2 });
      await docs.put({ _id: 'x', b: 3 });
      expect(await docs.get('x')).to.deep.equal({ _id: 'x', b: 3 });
      expect(await docs.count()).to.equal(1);
    });

    it('deletes by id, and deleting a missing id is harmless', async () => {
      const docs = await store().collection('docs');
      await docs.put({ _id: 'a' });
      await docs.put({ _id: 'b' });
      await docs.delete('a');
      await docs.delete('never-existed');
      expect(await docs.get('a')).to.equal(null);
      expect(await docs.get('b')).to.deep.equal({ _id: 'b' });
    });

    it('getMany returns the found documents in the order asked, once each, skipping missing ids', async () => {
      const docs = await store().collection<Doc & { n: number }>('docs');
      for (const n of [1, 2, 3]) await docs.put({ _id: `d${n}`, n });
      const got = await docs.getMany(['d3', 'missing', 'd1', 'd3']);
      expect(got).to.deep.equal([
        { _id: 'd3', n: 3 },
        { _id: 'd1', n: 1 },
      ]);
      expect(await docs.getMany([])).to.deep.equal([]);
      expect(await docs.getMany(['missing'])).to.deep.equal([]);
    });

    it('getMany copes with many ids at once', async () => {
      const docs = await store().collection('docs');
      const put = (i: number) => ({ kind: 'put' as const, collection: 'docs', doc: { _id: `k${i}` } });
      await store().write(Array.from({ length: 1200 }, (_, i) => put(i)));
      const wanted = Array.from({ length: 1500 }, (_, i) => `k${i}`);
      const got = await docs.getMany(wanted);
      expect(got.map((doc) => doc._id)).to.deep.equal(wanted.slice(0, 1200));
    });

    it('rejects a document without a string _id', async () => {
      const docs = await store().collection('docs');
      const noId = {} as unknown as Doc;
      await expectRejection(docs.put(noId));
      await expectRejection(store().write([{ kind: 'put', collection: 'docs', doc: noId }]));
      expect(await docs.count()).to.equal(0);
    });
  });
}

export async function expectRejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(Error);
    return error as Error;
  }
  expect.fail('expected the call to be rejected');
}
