import type { Doc, ReadStore } from '../../src/readstore/port';

/** A read store that counts what reaches it: single-document look-ups (`get`) and documents asked for by `getMany`. */
export function countingReadStore(store: ReadStore): { store: ReadStore; lookups: () => number; asked: () => number } {
  let lookups = 0;
  let asked = 0;
  return {
    lookups: () => lookups,
    asked: () => asked,
    store: {
      ...store,
      async collection<T extends Doc>(name: string, indexes?: Parameters<ReadStore['collection']>[1]) {
        const collection = await store.collection<T>(name, indexes);
        return {
          ...collection,
          get: (id: string) => {
            lookups += 1;
            return collection.get(id);
          },
          getMany: (ids: readonly string[]) => {
            asked += ids.length;
            return collection.getMany(ids);
          },
        };
      },
    },
  };
}
