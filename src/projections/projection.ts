import type { RecordedEvent } from '../eventstore/port';
import type { IndexSpec } from '../readstore/port';
import type { UnitOfWork } from './unitOfWork';

/**
 * A read model builder: handles events in log order, reading and writing only through the unit of work, so the
 * same code runs on SQLite and MongoDB and on live or rebuilt collections.
 */
export interface Projection {
  /** Stable name; the checkpoint is stored under it. */
  readonly name: string;
  readonly streamPrefixes: readonly string[];
  readonly collections: readonly { readonly name: string; readonly indexes?: readonly IndexSpec[] }[];
  /** Optional: load what the batch will need in a few round trips before it is handled. */
  prefetch?(events: readonly RecordedEvent[], uow: UnitOfWork): Promise<void>;
  handle(event: RecordedEvent, uow: UnitOfWork): Promise<void>;
}
