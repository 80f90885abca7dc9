import type { ReadStore } from '../../../src/readstore/port';

export type OpenReadStore = () => Promise<{ store: ReadStore; cleanup: () => Promise<void> }>;

/** Opens a fresh store before each test and cleans it up after; returns a getter for the current one. */
export function freshStorePerTest(open: OpenReadStore): () => ReadStore {
  let current: { store: ReadStore; cleanup: () => Promise<void> } | undefined;
  beforeEach(async () => {
    current = await open();
  });
  afterEach(async () => {
    const closing = current;
    current = undefined;
    await closing?.cleanup();
  });
  return () => {
    if (current === undefined) throw new Error('The read store is only open inside a test');
    return current.store;
  };
}

/** All documents of a collection ordered by _id, to compare states regardless of storage order. */
export async function snapshot(store: ReadStore, collection: string): Promise<unknown[]> {
  const docs = await (await store.collection(collection)).find();
  return docs.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
}

export function byId<T extends { _id: string }>(docs: readonly T[]): T[] {
  return [...docs].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
}

export function ids(docs: readonly { _id: string }[]): string[] {
  return docs.map((doc) => doc._id);
}
