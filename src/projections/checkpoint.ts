import type { RecordedEvent } from '../eventstore/port';
import type { ReadStore } from '../readstore/port';

/** Where each projection (and each read-model version) records the last log position it has projected. */
export const CHECKPOINTS = 'checkpoints';

export interface CheckpointDoc {
  readonly _id: string;
  readonly position: number;
  readonly updatedAt: string;
}

/**
 * A runner's checkpoint: the last log position it knows to be committed. After a failure the stored one is read
 * again before the next attempt, because the commit may have gone through before its answer was lost (a thread
 * lost after committing): a committed batch is never handed over twice, which `eventsProjectedOnce` relies on.
 */
export class RunnerCheckpoint {
  private committedPosition = 0;
  private inDoubt = false;

  constructor(
    private readonly readStore: ReadStore,
    readonly id: string,
  ) {}

  get position(): number {
    return this.committedPosition;
  }

  async load(): Promise<void> {
    this.committedPosition = await this.stored();
  }

  /** A batch failed: read the stored checkpoint again before the next attempt (see `settle`). */
  doubt(): void {
    this.inDoubt = true;
  }

  /** After a failure, catches up with the stored checkpoint (it only moves forward). */
  async settle(): Promise<void> {
    if (!this.inDoubt) return;
    this.committedPosition = Math.max(this.committedPosition, await this.stored());
    this.inDoubt = false;
  }

  committed(position: number): void {
    this.committedPosition = position;
  }

  /** The events of `batch` after the checkpoint: those still to project. */
  ahead(batch: readonly RecordedEvent[]): readonly RecordedEvent[] {
    return batch.filter((e) => Number(e.position) > this.committedPosition);
  }

  /** The checkpoint to write with `events` (the last of them projected). */
  after(events: readonly RecordedEvent[]): CheckpointDoc {
    return { _id: this.id, position: Number(events[events.length - 1]!.position), updatedAt: new Date().toISOString() };
  }

  private async stored(): Promise<number> {
    const checkpoints = await this.readStore.collection<CheckpointDoc>(CHECKPOINTS);
    return (await checkpoints.get(this.id))?.position ?? 0;
  }
}
