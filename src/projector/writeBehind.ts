import { ReadStore, ReadStoreUnavailableError, WriteOp } from '../readstore/port';
import { PendingWrites } from './pendingWrites';

/**
 * Commits projected batches behind the projection of the next ones (a catch-up: a rebuild, a first start over a
 * long history). Batches commit in order, each in one write with its checkpoint; until a batch is committed its
 * documents are read from memory (`PendingWrites`). When a commit fails, the batches projected on top of it fail
 * too, without writing: the runner projects them again from its last committed checkpoint.
 */
export class WriteBehind {
  private readonly pending = new PendingWrites();
  /** Settles when every batch handed over so far is committed or failed; never rejects. */
  private inFlight: Promise<void> = Promise.resolve();
  /** Bumped by a failed commit: batches handed over before it are stale. */
  private generation = 0;

  constructor(
    /** The store batches read from. */
    private readonly store: ReadStore,
    /** Writes a batch without holding this thread (the SQLite engine: on a writer thread of its own). */
    private readonly writeAside: (ops: readonly WriteOp[]) => Promise<void>,
  ) {}

  /** What a batch reads: the committed documents, overlaid with those of batches still being written. */
  get reads(): ReadStore {
    return this.pending.size === 0 ? this.store : this.pending.over(this.store);
  }

  /** Commits after the batches in flight; its documents are readable at once. Rejects if it cannot commit. */
  commitBehind(ops: readonly WriteOp[]): Promise<void> {
    const generation = this.generation;
    const batch = this.pending.add(ops);
    const committed = this.inFlight.then(() => {
      if (generation !== this.generation) {
        throw new ReadStoreUnavailableError('an earlier batch failed to commit, and this one was projected on top of it');
      }
      return this.writeAside(ops);
    });
    this.inFlight = committed.then(
      () => this.pending.release(batch),
      () => {
        if (generation !== this.generation) return;
        this.generation += 1;
        this.pending.clear();
      },
    );
    return committed;
  }
}
