import { expect } from 'chai';
import fc from 'fast-check';
import type { Doc, FieldCondition, Filter, Scalar, SortSpec, WriteOp } from '../../../src/readstore/port';
import { compareBySort, matches } from './referenceModel';
import { type OpenReadStore, byId, freshStorePerTest, ids, snapshot } from './storeFixture';

/**
 * Property tests against the reference model. Values are drawn from small pools so that filters often hit;
 * the strings include pairs whose UTF-16 and UTF-8 orders disagree ('～' vs '😀') and case differences.
 */

const RUNS = Number(process.env['READSTORE_PROPERTY_RUNS'] ?? 40);
const SORT_FIELDS = ['n', 's', 'meta.c'] as const;
/** Filters also look at `meta` itself, an object (or null): scalars must never match an object. */
const FILTER_FIELDS = [...SORT_FIELDS, 'meta'] as const;

const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(1.5, -2.25),
  fc.constantFrom('', 'a', 'b', 'B', 'é', '～', '😀'),
  fc.boolean(),
  fc.constant(null),
);
const rangeOperand: fc.Arbitrary<string | number> = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom('', 'a', 'B', 'é', '😀'),
);

const document = (id: string): fc.Arbitrary<Doc> =>
  fc
    .record(
      { n: scalar, s: scalar, meta: fc.oneof(fc.constant(null), fc.record({ c: scalar }, { requiredKeys: [] })) },
      { requiredKeys: [] },
    )
    .map((fields) => ({ _id: id, ...fields }));

const documents: fc.Arbitrary<Doc[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 99 }), { maxLength: 12 })
  .chain((keys) => fc.tuple(...keys.map((key) => document(`d${key}`))));

const condition: fc.Arbitrary<FieldCondition> = fc.record(
  {
    $eq: scalar,
    $ne: scalar,
    $in: fc.array(scalar, { maxLength: 3 }),
    $gt: rangeOperand,
    $gte: rangeOperand,
    $lt: rangeOperand,
    $lte: rangeOperand,
    $exists: fc.boolean(),
  },
  { requiredKeys: [] },
);

const filter: fc.Arbitrary<Filter> = fc.dictionary(fc.constantFrom(...FILTER_FIELDS), fc.oneof(scalar, condition), {
  maxKeys: 2,
});

const direction = fc.constantFrom(1 as const, -1 as const);
const sortSpec: fc.Arbitrary<SortSpec> = fc
  .uniqueArray(fc.constantFrom(...SORT_FIELDS), { minLength: 1, maxLength: 2 })
  .chain((fields) => fc.tuple(...fields.map((field) => fc.tuple(fc.constant(field), direction))));

const writeOp: fc.Arbitrary<WriteOp> = fc.oneof(
  fc.record({
    kind: fc.constant('put' as const),
    collection: fc.constantFrom('left', 'right'),
    doc: fc.record({ _id: fc.constantFrom('a', 'b', 'c'), version: fc.nat(5) }),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    collection: fc.constantFrom('left', 'right'),
    id: fc.constantFrom('a', 'b', 'c'),
  }),
);

export function propertiesContract(open: OpenReadStore): void {
  describe('properties (fast-check, against an in-memory reference model)', () => {
    const store = freshStorePerTest(open);

    async function reset(docs: readonly Doc[]) {
      const collection = await store().collection<Doc>('prop');
      await collection.deleteMany({});
      await store().write(docs.map((doc) => ({ kind: 'put', collection: 'prop', doc })));
      return collection;
    }

    it('find and count return exactly the documents the reference filter accepts', async () => {
      await fc.assert(
        fc.asyncProperty(documents, fc.array(filter, { minLength: 1, maxLength: 4 }), async (docs, filters) => {
          const collection = await reset(docs);
          for (const f of filters) {
            const expected = ids(byId(docs.filter((doc) => matches(doc, f))));
            expect(ids(byId(await collection.find(f))), JSON.stringify(f)).to.deep.equal(expected);
            expect(await collection.count(f), JSON.stringify(f)).to.equal(expected.length);
          }
        }),
        { numRuns: RUNS },
      );
    });

    it('sorted finds are ordered like the reference, and a limit keeps the smallest documents', async () => {
      await fc.assert(
        fc.asyncProperty(documents, sortSpec, fc.nat(6), async (docs, sort, limit) => {
          const collection = await reset(docs);
          const compare = compareBySort(sort);
          const all = await collection.find({}, { sort });
          expect(ids(byId(all))).to.deep.equal(ids(byId(docs)));
          for (let i = 1; i < all.length; i++) {
            expect(compare(all[i - 1]!, all[i]!), `${JSON.stringify(sort)} at ${i}`).to.be.at.most(0);
          }
          const page = await collection.find({}, { sort, limit });
          const pageIds = new Set(ids(page));
          expect(page).to.have.length(Math.min(limit, docs.length));
          const rest = docs.filter((doc) => !pageIds.has(doc._id));
          for (const taken of page) for (const left of rest) expect(compare(taken, left)).to.be.at.most(0);
        }),
        { numRuns: RUNS },
      );
    });

    it('write() ends in the state of applying its ops one by one, and applying it twice changes nothing', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(writeOp, { maxLength: 12 }), async (ops) => {
          await store().dropCollection('left');
          await store().dropCollection('right');
          const model = { left: new Map<string, Doc>(), right: new Map<string, Doc>() };
          for (const op of ops) {
            const target = model[op.collection as 'left' | 'right'];
            if (op.kind === 'put') target.set(op.doc._id, op.doc);
            else target.delete(op.id);
          }
          const expected = [byId([...model.left.values()]), byId([...model.right.values()])];
          await store().write(ops);
          expect([await snapshot(store(), 'left'), await snapshot(store(), 'right')]).to.deep.equal(expected);
          await store().write(ops);
          expect([await snapshot(store(), 'left'), await snapshot(store(), 'right')]).to.deep.equal(expected);
        }),
        { numRuns: RUNS },
      );
    });
  });
}
