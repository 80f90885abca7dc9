import type { Collection, Doc, ReadStore, WriteOp } from '../readstore/port';

interface Pending {
  readonly doc: Doc | null;
  readonly batch: number;
}

/**
 * Documents of batches handed to the writer and not committed yet, by physical collection and id. The next batch
 * is projected while the previous one is written: its look-ups must see those documents, which the store does
 * not have yet. A document written again by a later batch belongs to that batch until it is committed too.
 */
export class PendingWrites {
  private readonly byCollection = new Map<string, Map<string, Pending>>();
  private readonly keysOfBatch = new Map<number, [collection: string, id: string][]>();
  private nextBatch = 1;

  /** Holds a batch's writes until `release`; returns the batch's handle. */
  add(ops: readonly WriteOp[]): number {
    const batch = this.nextBatch++;
    const keys: [string, string][] = [];
    for (const op of ops) {
      const id = op.kind === 'put' ? op.doc._id : op.id;
      let docs = this.byCollection.get(op.collection);
      if (docs === undefined) this.byCollection.set(op.collection, (docs = new Map()));
      docs.set(id, { doc: op.kind === 'put' ? op.doc : null, batch });
      keys.push([op.collection, id]);
    }
    this.keysOfBatch.set(batch, keys);
    return batch;
  }

  /** The batch is committed: the store answers for its documents now (those a later batch wrote stay). */
  release(batch: number): void {
    for (const [collection, id] of this.keysOfBatch.get(batch) ?? []) {
      const docs = this.byCollection.get(collection)!;
      if (docs.get(id)?.batch === batch) docs.delete(id);
    }
    this.keysOfBatch.delete(batch);
  }

  /** A commit failed: every batch still pending is discarded with it (they were projected on top of it). */
  clear(): void {
    this.byCollection.clear();
    this.keysOfBatch.clear();
  }

  get size(): number {
    return this.keysOfBatch.size;
  }

  /**
   * `store` as a projection batch reads it: key look-ups answered from the pending documents first. Only `get` and
   * `getMany` are overlaid, the only reads a unit of work makes; every other call goes to `store` unchanged.
   */
  over(store: ReadStore): ReadStore {
    return {
      ...store,
      collection: async <T extends Doc>(name: string, indexes?: Parameters<ReadStore['collection']>[1]) =>
        this.overlaid(name, await store.collection<T>(name, indexes)),
    };
  }

  private overlaid<T extends Doc>(name: string, collection: Collection<T>): Collection<T> {
    const pending = () => this.byCollection.get(name);
    return {
      ...collection,
      name: collection.name,
      get: async (id) => {
        const hit = pending()?.get(id);
        return hit ? (hit.doc as T | null) : collection.get(id);
      },
      getMany: async (ids) => {
        const docs = pending();
        if (!docs || docs.size === 0) return collection.getMany(ids);
        const found: T[] = [];
        const missing: string[] = [];
        for (const id of ids) {
          const hit = docs.get(id);
          if (!hit) missing.push(id);
          else if (hit.doc) found.push(hit.doc as T);
        }
        return missing.length ? [...found, ...(await collection.getMany(missing))] : found;
      },
    };
  }
}
