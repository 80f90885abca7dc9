import { checkedPaging } from '../paging';
import type { Collection as DriverCollection, Document } from 'mongodb';
import type { Collection, Doc } from '../port';
import { unlessUnavailable } from './mongoErrors';
import { type StringKeyed, toMongoFilter, toMongoSort } from './mongoFilter';

export function mongoCollection<T extends Doc>(driver: DriverCollection<StringKeyed>): Collection<T> {
  const asDocs = (documents: Document[]): T[] => documents as unknown as T[];

  return {
    name: driver.collectionName,
    get: (id) => unlessUnavailable(async () => (await driver.findOne({ _id: id })) as T | null),
    getMany: (ids) =>
      unlessUnavailable(async () => {
        const unique = [...new Set(ids)];
        if (unique.length === 0) return [];
        const found = await driver.find({ _id: { $in: unique } }).toArray();
        const byId = new Map(found.map((doc) => [doc._id, doc]));
        return asDocs(unique.flatMap((id) => byId.get(id) ?? []));
      }),
    find: (filter, options = {}) =>
      unlessUnavailable(async () => {
        const query = toMongoFilter(filter);
        const { limit, skip } = checkedPaging(options);
        // MongoDB reads limit 0 as "no limit"; for the port it means no documents.
        if (limit === 0) return [];
        let cursor = driver.find(query);
        if (options.sort && options.sort.length > 0) cursor = cursor.sort(toMongoSort(options.sort));
        if (skip > 0) cursor = cursor.skip(skip);
        if (limit !== undefined) cursor = cursor.limit(limit);
        return asDocs(await cursor.toArray());
      }),
    count: (filter) => unlessUnavailable(() => driver.countDocuments(toMongoFilter(filter))),
    put: (doc) =>
      unlessUnavailable(async () => {
        assertDocument(doc);
        await driver.replaceOne({ _id: doc._id }, doc, { upsert: true });
      }),
    delete: (id) =>
      unlessUnavailable(async () => {
        await driver.deleteOne({ _id: id });
      }),
    deleteMany: (filter) =>
      unlessUnavailable(async () => (await driver.deleteMany(toMongoFilter(filter))).deletedCount),
  };
}

export function assertDocument(doc: Doc): void {
  if (typeof doc?._id !== 'string') throw new TypeError('A document needs a string _id');
}
