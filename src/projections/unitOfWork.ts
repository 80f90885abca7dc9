import type { Collection, Doc, ReadStore, WriteOp } from '../readstore/port';

/** Every projected document remembers the log position of the last event that changed it. */
export interface ProjectedDoc extends Doc {
  readonly _pos: number;
}

/** What the batch knows of one collection: documents as last read or changed, and what is to be written. */
class CollectionState {
  readonly docs = new Map<string, Doc | null>();
  /** `_pos` of each document as the store had it before this batch: what `update` guards against. */
  readonly storedPositions = new Map<string, number>();
  /** The latest change of each changed document (and when it was made); written once per batch. */
  readonly pending = new Map<string, { op: WriteOp; seq: number }>();

  private handle?: Promise<Collection<Doc>>;

  constructor(readonly physical: string) {}

  /** The store's handle, asked for once per batch rather than once per look-up. */
  collection(store: ReadStore): Promise<Collection<Doc>> {
    return (this.handle ??= store.collection(this.physical));
  }
}

/**
 * The read and write context of one batch of events (write-behind): every document is read at most once per
 * batch (key lookups, cached), changed in memory as often as the batch's events change it, and written once, by
 * the runner, in one `write` together with the checkpoint. `update` skips events a document has already seen,
 * which makes re-delivery after a crash harmless even where the store cannot write the batch atomically
 * (MongoDB).
 */
export class UnitOfWork {
  private readonly collections = new Map<string, CollectionState>();
  /** Counts changes, so the writes can follow the order in which documents were last changed. */
  private changes = 0;

  constructor(
    private readonly store: ReadStore,
    /** Maps a projection's collection name to the physical one (versioned collections during a rebuild). */
    readonly physicalName: (collection: string) => string,
  ) {}

  private state(collection: string): CollectionState {
    let state = this.collections.get(collection);
    if (state === undefined) this.collections.set(collection, (state = new CollectionState(this.physicalName(collection))));
    return state;
  }

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const state = this.state(collection);
    const known = state.docs.get(id);
    if (known !== undefined || state.docs.has(id)) return known as T | null;
    const doc = (await (await state.collection(this.store)).get(id)) as T | null;
    remember(state, id, doc);
    return doc;
  }

  /** Loads many documents at once, so a batch costs one round trip per collection instead of one per event. */
  async prefetch(collection: string, ids: Iterable<string>): Promise<void> {
    const state = this.state(collection);
    const missing = new Set<string>();
    for (const id of ids) if (!state.docs.has(id)) missing.add(id);
    if (missing.size === 0) return;
    const found = await (await state.collection(this.store)).getMany([...missing]);
    for (const doc of found) remember(state, doc._id, doc);
    for (const id of missing) if (!state.docs.has(id)) state.docs.set(id, null);
  }

  put<T extends Doc>(collection: string, doc: T): void {
    const state = this.state(collection);
    state.docs.set(doc._id, doc);
    this.changed(state, doc._id, { kind: 'put', collection: state.physical, doc });
  }

  delete(collection: string, id: string): void {
    const state = this.state(collection);
    state.docs.set(id, null);
    this.changed(state, id, { kind: 'delete', collection: state.physical, id });
  }

  private changed(state: CollectionState, id: string, op: WriteOp): void {
    state.pending.set(id, { op, seq: this.changes++ });
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
    const known = this.state(collection).docs.get(id);
    // Most updates find the document in the batch already: no look-up to await then.
    const current = known !== undefined ? (known as T | null) : await this.get<T>(collection, id);
    if (this.alreadySeen(collection, id, position)) return;
    const next = change(current);
    if (next === undefined) return;
    if (next === null) this.delete(collection, id);
    else this.put(collection, { ...next, _pos: this.positionAfter(current, position) } as T);
  }

  /** Whether the stored document has seen `position` already (then the change is skipped). */
  protected alreadySeen(collection: string, id: string, position: number): boolean {
    return (this.state(collection).storedPositions.get(id) ?? -1) >= position;
  }

  /** The position a changed document records. */
  protected positionAfter(_current: ProjectedDoc | null, position: number): number {
    return position;
  }

  /**
   * One write per changed document (its last change), in the order documents were last changed: a store that
   * applies them one by one (MongoDB) leaves the same partial states as before, e.g. rows before the list that
   * pointed at them.
   */
  writes(): WriteOp[] {
    const changes: { op: WriteOp; seq: number }[] = [];
    for (const state of this.collections.values()) for (const change of state.pending.values()) changes.push(change);
    return changes.sort((a, b) => a.seq - b.seq).map((change) => change.op);
  }
}

function remember(state: CollectionState, id: string, doc: Doc | null): void {
  state.docs.set(id, doc);
  const position = (doc as Partial<ProjectedDoc> | null)?._pos;
  if (typeof position === 'number') state.storedPositions.set(id, position);
}
