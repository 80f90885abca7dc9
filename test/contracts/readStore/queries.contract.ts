import { expect } from 'chai';
import type { Collection, Doc, Filter } from '../../../src/readstore/port';
import { expectRejection } from './documents.contract';
import { type OpenReadStore, freshStorePerTest, ids } from './storeFixture';

type Person = Doc & {
  name?: string | null;
  age?: number | string | boolean | null;
  active?: boolean;
  traits?: { email?: string | null; plan?: { tier?: string; seats?: number } };
};

/** Each person is there to tell one operator's edge apart from another's. */
const people: Person[] = [
  { _id: 'ann', name: 'Ann', age: 34, active: true,
    traits: { email: 'ann@x.io', plan: { tier: 'pro', seats: 5 } } },
  { _id: 'bob', name: 'Bob', age: 27.5, active: false,
    traits: { email: 'bob@x.io', plan: { tier: 'free', seats: 1 } } },
  { _id: 'cid', name: 'Cid', age: '34', active: true, traits: { email: null } },
  { _id: 'dee', name: null, age: null, traits: { plan: { tier: 'pro', seats: 20 } } },
  { _id: 'eve', age: true, active: true },
  { _id: 'fay', name: 'fay', age: 61, traits: {} },
];

export function queriesContract(open: OpenReadStore): void {
  describe('queries', () => {
    const store = freshStorePerTest(open);
    let collection: Collection<Person>;
    const find = async (filter?: Filter) => ids(await collection.find(filter, { sort: [['_id', 1]] }));

    beforeEach(async () => {
      collection = await store().collection<Person>('people', [['traits.email'], ['age', 'name']]);
      await store().write(people.map((doc) => ({ kind: 'put', collection: 'people', doc })));
    });

    it('finds everything without a filter, and with an empty one', async () => {
      expect(await find()).to.deep.equal(['ann', 'bob', 'cid', 'dee', 'eve', 'fay']);
      expect(await find({})).to.deep.equal(['ann', 'bob', 'cid', 'dee', 'eve', 'fay']);
    });

    it('matches equality by value and type: 34 is not "34" and true is not 1', async () => {
      expect(await find({ age: 34 })).to.deep.equal(['ann']);
      expect(await find({ age: { $eq: 34 } })).to.deep.equal(['ann']);
      expect(await find({ age: '34' })).to.deep.equal(['cid']);
      expect(await find({ age: true })).to.deep.equal(['eve']);
      expect(await find({ active: false })).to.deep.equal(['bob']);
      expect(await find({ age: 1 })).to.deep.equal([]);
      expect(await find({ name: 'ann' })).to.deep.equal([]);
      // An object is neither a string nor a number, whatever its JSON text looks like.
      expect(await find({ traits: '{}' })).to.deep.equal([]);
      expect(await find({ traits: { $gte: '' } })).to.deep.equal([]);
    });

    it('follows dotted paths into nested objects, a missing step meaning a missing field', async () => {
      expect(await find({ 'traits.email': 'bob@x.io' })).to.deep.equal(['bob']);
      expect(await find({ 'traits.plan.tier': 'pro' })).to.deep.equal(['ann', 'dee']);
      expect(await find({ 'traits.plan.seats': { $gte: 5 } })).to.deep.equal(['ann', 'dee']);
      expect(await find({ 'traits.plan.tier': { $exists: false } })).to.deep.equal(['cid', 'eve', 'fay']);
    });

    it('treats equality with null as "null or missing"', async () => {
      expect(await find({ name: null })).to.deep.equal(['dee', 'eve']);
      expect(await find({ 'traits.email': { $eq: null } })).to.deep.equal(['cid', 'dee', 'eve', 'fay']);
    });

    it('$ne matches documents where the field is missing, and $ne null means present and not null', async () => {
      expect(await find({ active: { $ne: true } })).to.deep.equal(['bob', 'dee', 'fay']);
      expect(await find({ name: { $ne: null } })).to.deep.equal(['ann', 'bob', 'cid', 'fay']);
      expect(await find({ age: { $ne: 34 } })).to.deep.equal(['bob', 'cid', 'dee', 'eve', 'fay']);
    });

    it('$exists tells a null field (present) from a missing one', async () => {
      expect(await find({ name: { $exists: true } })).to.deep.equal(['ann', 'bob', 'cid', 'dee', 'fay']);
      expect(await find({ name: { $exists: false } })).to.deep.equal(['eve']);
      expect(await find({ 'traits.email': { $exists: true } })).to.deep.equal(['ann', 'bob', 'cid']);
    });

    it('$in matches any of the listed scalars by type, null also matching missing', async () => {
      expect(await find({ age: { $in: [34, '34', 61] } })).to.deep.equal(['ann', 'cid', 'fay']);
      expect(await find({ name: { $in: ['Bob', null] } })).to.deep.equal(['bob', 'dee', 'eve']);
      expect(await find({ active: { $in: [false] } })).to.deep.equal(['bob']);
      expect(await find({ age: { $in: [] } })).to.deep.equal([]);
    });

    it('range operators compare numbers with numbers and strings with strings only', async () => {
      expect(await find({ age: { $gt: 27.5 } })).to.deep.equal(['ann', 'fay']);
      expect(await find({ age: { $gte: 27.5 } })).to.deep.equal(['ann', 'bob', 'fay']);
      expect(await find({ age: { $lt: 34 } })).to.deep.equal(['bob']);
      expect(await find({ age: { $lte: 34 } })).to.deep.equal(['ann', 'bob']);
      expect(await find({ age: { $gt: '' } })).to.deep.equal(['cid']);
      expect(await find({ name: { $gte: 'B', $lt: 'a' } })).to.deep.equal(['bob', 'cid']);
      expect(await find({ age: { $gt: 30, $lt: 60 } })).to.deep.equal(['ann']);
    });

    it('combines conditions on several fields with AND and ignores undefined ones', async () => {
      expect(await find({ active: true, age: { $gt: 0 } })).to.deep.equal(['ann']);
      expect(await find({ active: true, name: undefined })).to.deep.equal(['ann', 'cid', 'eve']);
      expect(await find({ age: { $gt: 0, $lt: undefined } })).to.deep.equal(['ann', 'bob', 'fay']);
    });

    it('counts what find finds', async () => {
      expect(await collection.count()).to.equal(6);
      expect(await collection.count({ active: true })).to.equal(3);
      expect(await collection.count({ 'traits.plan.tier': 'gold' })).to.equal(0);
    });

    it('deleteMany removes exactly the matching documents and says how many', async () => {
      expect(await collection.deleteMany({ 'traits.plan.tier': 'pro' })).to.equal(2);
      expect(await find()).to.deep.equal(['bob', 'cid', 'eve', 'fay']);
      expect(await collection.deleteMany({ 'traits.plan.tier': 'pro' })).to.equal(0);
      expect(await collection.deleteMany({})).to.equal(4);
      expect(await collection.count()).to.equal(0);
    });

    it('rejects field paths and operators outside the port instead of running them', async () => {
      for (const field of ['$where', 'a;DROP TABLE rs_people', "a') OR 1=1 --", 'a..b', '.a', 'a.', '', '1a', 'a b']) {
        await expectRejection(collection.find({ [field]: 1 }));
      }
      await expectRejection(collection.find({ name: { $regex: '.*' } as unknown as Filter[string] }));
      await expectRejection(collection.find({ name: { $where: 'true' } as unknown as Filter[string] }));
      await expectRejection(collection.find({ name: { $eq: { $gt: '' } } as unknown as Filter[string] }));
      await expectRejection(collection.find({}, { sort: [['$natural', 1]] }));
      expect(await collection.count()).to.equal(6);
    });
  });
}
