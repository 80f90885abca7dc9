import type { Config } from '../config';
import type { RecordedEvent } from '../eventstore/port';
import type { CheckpointDoc } from '../projections/checkpoint';

/** What the projector thread is started with. */
export interface ProjectorData {
  readonly config: Config;
  /** The event store's `idsUniqueByConstraint` (the thread gets events, not the store). */
  readonly eventIdsUniqueByConstraint: boolean;
}

/**
 * A projection batch: which projection, which read-model version (1 for the plain names), what to commit. A large
 * batch comes as `BatchSlice`s first and the apply request with the last events; `eventCount` is the whole
 * batch's, so a batch missing slices (the thread was replaced meanwhile) is refused, never half-applied.
 */
export interface ApplyRequest {
  readonly kind: 'apply';
  readonly id: number;
  readonly projection: string;
  readonly version: number;
  readonly events: readonly RecordedEvent[];
  readonly eventCount: number;
  readonly checkpoint: CheckpointDoc;
  /**
   * Answered `projected` as soon as the batch is projected, then `applied` once committed: the runner hands over
   * the next batch meanwhile (a catch-up). Otherwise the batch waits for those in flight and is answered once.
   */
  readonly pipelined?: boolean;
}

/** Creates the secondary indexes of `projection`'s collections in read-model `version`; answered like a batch. */
export interface BuildIndexesRequest {
  readonly kind: 'buildIndexes';
  readonly id: number;
  readonly projection: string;
  readonly version: number;
}

/** The first events of a large batch, projected as they arrive (the batch is written with its apply request). */
export interface BatchSlice {
  readonly kind: 'slice';
  readonly id: number;
  readonly projection: string;
  readonly version: number;
  readonly pipelined: boolean;
  readonly events: readonly RecordedEvent[];
}

/** Someone was forgotten on the other side: drop their cached keys here too. */
export interface Forgotten {
  readonly kind: 'forgotten';
  readonly workspaceId: string;
  readonly identityKeys: readonly string[];
}

/** A workspace was removed: drop its cached keys and memoised ids on the thread too. */
export interface WorkspaceRemoved {
  readonly kind: 'workspaceRemoved';
  readonly workspaceId: string;
}

export type ToProjector = ApplyRequest | BuildIndexesRequest | BatchSlice | Forgotten | WorkspaceRemoved | { readonly kind: 'close' };

/** An error as it crosses the thread boundary; `transient` ones are retried without end (a store outage). */
export interface CarriedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly transient: boolean;
}

export type FromProjector =
  | { readonly kind: 'projected'; readonly id: number }
  | { readonly kind: 'applied'; readonly id: number }
  | { readonly kind: 'failed'; readonly id: number; readonly error: CarriedError }
  | { readonly kind: 'startFailed'; readonly error: CarriedError }
  | Forgotten;
