import type { Doc, ReadStore, WriteOp } from '../readstore/port';

/** Every projected document remembers the log position of the last event that changed it. */
export interface ProjectedDoc extends Doc {
  readonly _pos: number;
}

/**
 * The read and write context of one batch of events. Reads are key lookups, cached for the batch; writes are
 * collected and applied by the runner in one `write` together with the checkpoint. `update` skips events a
 * document has already seen, which makes re-delivery after a crash harmless even where the store cannot write
 * the batch atomically (MongoDB).
 */
export class UnitOfWork {
  private readonly docs = new Map<string, Doc | null>();
  /** `_pos` of each document as the store had it before this batch: what `update` guards against. */
  private readonly storedPositions = new Map<string, number>();
  private readonly pending = new Map<string, WriteOp>();

  constructor(
    private readonly store: ReadStore,
    /** Maps a projection's collection name to the physical one (versioned collections during a rebuild). */
    readonly physicalName: (collection: string) => string,
  ) {}

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const key = cacheKey(collection, id);
    if (this.docs.has(key)) return this.docs.get(key) as T | null;
    const handle = await this.store.collection<T>(this.physicalName(collection));
    const doc = await handle.get(id);
    this.remember(key, doc);
    return doc;
  }

  /** Loads many documents at once, so a batch costs one round trip per collection instead of one per event. */
  async prefetch(collection: string, ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.docs.has(cacheKey(collection, id)));
    if (missing.length === 0) return;
    const handle = await this.store.collection(this.physicalName(collection));
    const found = new Map((await handle.getMany(missing)).map((d) => [d._id, d]));
    for (const id of missing) this.remember(cacheKey(collection, id), found.get(id) ?? null);
  }

  private remember(key: string, doc: Doc | null): void {
    this.docs.set(key, doc);
    const position = (doc as Partial<ProjectedDoc> | null)?._pos;
    if (typeof position === 'number') this.storedPositions.set(key, position);
  }

  put<T extends Doc>(collection: string, doc: T): void {
    const key = cacheKey(collection, doc._id);
    this.docs.set(key, doc);
    this.pending.delete(key); // re-insert so the write order follows the last change
    this.pending.set(key, { kind: 'put', collection: this.physicalName(collection), doc });
  }

  delete(collection: string, id: string): void {
    const key = cacheKey(collection, id);
    this.docs.set(key, null);
    this.pending.delete(key);
    this.pending.set(key, { kind: 'delete', collection: this.physicalName(collection), id });
  }

  /**
   * Read-modify-write guarded by position: `change` runs only if the stored document has not seen `position`
   * yet (several changes by the same event within the batch all apply). It returns the new document (without
   * `_pos`), `null` to delete it, or `undefined` to leave it as it is.
   */
  async update<T extends ProjectedDoc>(
    collection: string,
    id: string,
    position: number,
    change: (current: T | null) => Omit<T, '_pos'> | null | undefined,
  ): Promise<void> {
    const current = await this.get<T>(collection, id);
    if (this.alreadySeen(collection, id, position)) return;
    const next = change(current);
    if (next === undefined) return;
    if (next === null) this.delete(collection, id);
    else this.put(collection, { ...next, _pos: this.positionAfter(current, position) } as T);
  }

  /** Whether the stored document has seen `position` already (then the change is skipped). */
  protected alreadySeen(collection: string, id: string, position: number): boolean {
    return (this.storedPositions.get(cacheKey(collection, id)) ?? -1) >= position;
  }

  /** The position a changed document records. */
  protected positionAfter(_current: ProjectedDoc | null, position: number): number {
    return position;
  }

  writes(): WriteOp[] {
    return [...this.pending.values()];
  }
}

const cacheKey = (collection: string, id: string) => `${collection}\u0000${id}`;
