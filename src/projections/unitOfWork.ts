import type { Collection, Doc, ReadStore, WriteOp } from '../readstore/port';

/** Every projected document remembers the log position of the last event that changed it. */
export interface ProjectedDoc extends Doc {
  readonly _pos: number;
}

/**
 * What the batch knows of one document: one map entry per document, so an update costs one look-up of its id
 * rather than one per piece of state (document, stored position, pending write): on a large catch-up batch those
 * maps hold tens of thousands of ids, and each look-up was a measurable share of the projector thread's time.
 */
interface Known {
  readonly id: string;
  readonly state: CollectionState;
  /** The document as last read or changed; null when absent or deleted. */
  doc: Doc | null;
  /** `_pos` of the document as the store had it before this batch (-1: none): what `update` guards against. */
  readonly storedPosition: number;
  /** Index of the document's latest change in the batch's change log; -1 while unchanged. */
  lastChange: number;
  /** `doc` as an answer to `get`, made once until the document changes (it is asked for several times per event). */
  answer?: Promise<Doc | null>;
}

/** What `update` answers when it had the document at hand: no promise made per update. */
const DONE: Promise<void> = Promise.resolve();

/** What the batch knows of one collection. */
class CollectionState {
  readonly known = new Map<string, Known>();
  private handle?: Promise<Collection<Doc>>;

  constructor(readonly physical: string) {}

  /** The store's handle, asked for once per batch rather than once per look-up. */
  collection(store: ReadStore): Promise<Collection<Doc>> {
    return (this.handle ??= store.collection(this.physical));
  }

  /** Records what the store answered for `id` (a document the batch knows already stays as the batch has it). */
  remember(id: string, doc: Doc | null): Known {
    const known = this.known.get(id);
    if (known) return known;
    const position = (doc as Partial<ProjectedDoc> | null)?._pos;
    const entry: Known = { id, state: this, doc, storedPosition: typeof position === 'number' ? position : -1, lastChange: -1 };
    this.known.set(id, entry);
    return entry;
  }
}

export interface UnitOfWorkOptions {
  /**
   * No event of the batch has reached the read store before: the event store holds each id once by constraint
   * and the read store writes a batch with its checkpoint atomically, so a batch after the checkpoint is new to it
   * (see `eventsProjectedOnce` in projectBatch.ts). Not for out-of-order work such as dead-letter retries.
   */
  readonly eventsProjectedOnce?: boolean;
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
  /**
   * Every change in the order made, a document once per change; its write is taken at its last change, which
   * keeps the writes in the order documents were last changed.
   */
  private readonly changeLog: Known[] = [];

  constructor(
    private readonly store: ReadStore,
    /** Maps a projection's collection name to the physical one (versioned collections during a rebuild). */
    readonly physicalName: (collection: string) => string,
    private readonly options: UnitOfWorkOptions = {},
  ) {}

  private state(collection: string): CollectionState {
    let state = this.collections.get(collection);
    if (state === undefined) this.collections.set(collection, (state = new CollectionState(this.physicalName(collection))));
    return state;
  }

  get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const state = this.state(collection);
    const known = state.known.get(id);
    if (known) return (known.answer ??= Promise.resolve(known.doc)) as Promise<T | null>;
    return this.known(state, id).then((read) => read.doc as T | null);
  }

  /** The batch's entry for `id`, read from the store the first time. */
  private async known(state: CollectionState, id: string): Promise<Known> {
    return state.known.get(id) ?? state.remember(id, await (await state.collection(this.store)).get(id));
  }

  /** Loads many documents at once, so a batch costs one round trip per collection instead of one per event. */
  async prefetch(collection: string, ids: Iterable<string>): Promise<void> {
    const state = this.state(collection);
    const missing = new Set<string>();
    for (const id of ids) if (!state.known.has(id)) missing.add(id);
    if (missing.size === 0) return;
    const found = await (await state.collection(this.store)).getMany([...missing]);
    for (const doc of found) state.remember(doc._id, doc);
    for (const id of missing) state.remember(id, null);
  }

  /**
   * Documents keyed by the ids of this batch's events, which only projecting those events writes (a call's row in
   * the event list). Where each event reaches the read store once (`eventsProjectedOnce`), none can exist yet and
   * nothing is read: on a 1,000,000-event rebuild these look-ups, all of them misses in a table growing to a
   * million rows, took 3.4 s of the projector thread. Otherwise they are read like any other document.
   */
  async prefetchEventDocs(collection: string, eventIds: Iterable<string>): Promise<void> {
    if (!this.options.eventsProjectedOnce) return this.prefetch(collection, eventIds);
    const state = this.state(collection);
    for (const id of eventIds) state.remember(id, null);
  }

  put<T extends Doc>(collection: string, doc: T): void {
    this.change(this.entry(this.state(collection), doc._id), doc);
  }

  delete(collection: string, id: string): void {
    this.change(this.entry(this.state(collection), id), null);
  }

  /** The entry of a document written without being read (nothing stored is known of it). */
  private entry(state: CollectionState, id: string): Known {
    return state.known.get(id) ?? state.remember(id, null);
  }

  private change(known: Known, doc: Doc | null): void {
    known.doc = doc;
    known.answer = undefined;
    known.lastChange = this.changeLog.push(known) - 1;
  }

  /**
   * Read-modify-write guarded by position: `change` runs only if the stored document has not seen `position`
   * yet (several changes by the same event within the batch all apply). It returns the new document (without
   * `_pos`), `null` to delete it, or `undefined` to leave it as it is.
   */
  update<T extends ProjectedDoc>(
    collection: string,
    id: string,
    position: number,
    change: (current: T | null) => Omit<T, '_pos'> | null | undefined,
  ): Promise<void> {
    const state = this.state(collection);
    // Most updates find the document in the batch already: no look-up to wait for, and no promise made.
    const known = state.known.get(id);
    if (!known) return this.known(state, id).then((read) => this.applyChange(read, position, change));
    try {
      this.applyChange(known, position, change);
    } catch (error) {
      return Promise.reject(error); // a failing change rejects, as from an async function
    }
    return DONE;
  }

  private applyChange<T extends ProjectedDoc>(
    known: Known,
    position: number,
    change: (current: T | null) => Omit<T, '_pos'> | null | undefined,
  ): void {
    if (this.alreadySeen(known.storedPosition, position)) return;
    const current = known.doc as T | null;
    const next = change(current);
    if (next === undefined) return;
    if (next === null) return this.change(known, null);
    const _pos = this.positionAfter(current, position);
    // A new object from `change` is the batch's own: it takes its position in place rather than being copied
    // again (every update copied every document twice). The current document itself may also be the previous
    // batch's, still waiting to be written or kept for a redo: that one is copied.
    if (next === current) this.change(known, { ...next, _pos });
    else {
      (next as { _pos?: number })._pos = _pos;
      this.change(known, next as T);
    }
  }

  /** Whether a document the store had at `storedPosition` has seen `position` already (then the change is skipped). */
  protected alreadySeen(storedPosition: number, position: number): boolean {
    return storedPosition >= position;
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
    const ops: WriteOp[] = [];
    this.changeLog.forEach((known, index) => {
      if (known.lastChange !== index) return;
      const collection = known.state.physical;
      ops.push(known.doc === null ? { kind: 'delete', collection, id: known.id } : { kind: 'put', collection, doc: known.doc });
    });
    return ops;
  }
}
