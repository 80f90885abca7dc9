/**
 * The read-store port: a small document store that read models are written against once. Adapters: embedded
 * SQLite (`./sqlite`, JSON documents in tables) and MongoDB (`./mongo`). Both pass the same contract suite
 * (`test/contracts/readStore.contract.ts`).
 *
 * Deliberately smaller than MongoDB's API: key lookups, simple filters and sorts, whole-document writes. That
 * keeps projections portable and makes every write idempotent (a put replaces the whole document).
 */

/** A JSON-like document. Arrays directly inside arrays are not portable: FerretDB 1.24 refuses them. */
export interface Doc {
  readonly _id: string;
}

export type Scalar = string | number | boolean | null;

/** Conditions on one field. Field names may be dotted paths into nested objects ("traits.email"). */
export interface FieldCondition {
  readonly $eq?: Scalar;
  readonly $ne?: Scalar;
  readonly $in?: readonly Scalar[];
  readonly $gt?: string | number;
  readonly $gte?: string | number;
  readonly $lt?: string | number;
  readonly $lte?: string | number;
  readonly $exists?: boolean;
}

/**
 * Every field must match (AND). A bare scalar means equality; an undefined value is ignored. Do not filter on
 * fields that hold arrays: MongoDB matches their elements, the SQLite adapter compares the whole array.
 */
export type Filter = { readonly [field: string]: Scalar | FieldCondition | undefined };

export type SortSpec = readonly (readonly [field: string, direction: 1 | -1])[];

export interface FindOptions {
  readonly sort?: SortSpec;
  /** At most this many documents; 0 means none (not "no limit" as in MongoDB). */
  readonly limit?: number;
  readonly skip?: number;
}

/** A compound index on dotted field paths, in order. */
export type IndexSpec = readonly string[];

export interface Collection<T extends Doc> {
  readonly name: string;
  get(id: string): Promise<T | null>;
  /** The documents found, in the order of `ids`, each once; missing ids are skipped. */
  getMany(ids: readonly string[]): Promise<T[]>;
  find(filter?: Filter, options?: FindOptions): Promise<T[]>;
  count(filter?: Filter): Promise<number>;
  /** Inserts or replaces the whole document. */
  put(doc: T): Promise<void>;
  delete(id: string): Promise<void>;
  deleteMany(filter: Filter): Promise<number>;
}

export type WriteOp =
  | { readonly kind: 'put'; readonly collection: string; readonly doc: Doc }
  | { readonly kind: 'delete'; readonly collection: string; readonly id: string };

export interface ReadStore {
  /** True when `write` applies all of its writes or none (SQLite: one transaction); absent: it may stop half-way. */
  readonly atomicWrites?: boolean;
  /** A collection handle; creates the collection and its indexes on first use. */
  collection<T extends Doc>(name: string, indexes?: readonly IndexSpec[]): Promise<Collection<T>>;
  /**
   * Applies writes in order. SQLite applies them in one transaction; MongoDB applies them as ordered bulk writes
   * per collection, not atomically, so projections guard documents with the position they have seen and save
   * their checkpoint last.
   */
  write(ops: readonly WriteOp[]): Promise<void>;
  dropCollection(name: string): Promise<void>;
  listCollections(): Promise<string[]>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The read store cannot be reached; projections pause and retry, APIs answer 503. */
export class ReadStoreUnavailableError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'ReadStoreUnavailableError';
  }
}
