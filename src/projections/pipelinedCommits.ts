import type { RecordedEvent } from '../eventstore/port';

/** A catch-up batch handed over: projected first, committed later (see BatchApplier.submit). */
export interface HandedOver {
  readonly projected: Promise<void>;
  readonly committed: Promise<void>;
}

/** What the pipeline needs of its runner. */
export interface PipelineRunner {
  /** The batch is committed: its checkpoint and `onBatch`. */
  markCommitted(events: readonly RecordedEvent[]): void;
  /** Handles events that were not committed again, one batch at a time (retries, dead letters). */
  redo(events: readonly RecordedEvent[]): Promise<void>;
  reportFailure(error: unknown): void;
}

/**
 * One runner's catch-up batches, each committed while the next is projected: the projector thread projects batch
 * n+1 while batch n is written (see src/projector/writeBehind.ts; 1,000,000-event rebuild in the README).
 * Checkpoints follow commits. When a commit or a projection fails, every event not committed is redone through
 * the runner, from its last committed checkpoint. Runs inside the runner's turns, never two calls at once.
 */
export class PipelinedCommits {
  /** The batch projected and handed over last, its commit under way. */
  private uncommitted: { readonly events: readonly RecordedEvent[]; readonly committed: Promise<void> } | undefined;

  constructor(private readonly runner: PipelineRunner) {}

  /** Waits for the previous batch's commit while `events` (handed over just now) are projected. */
  async follow(events: readonly RecordedEvent[], handedOver: HandedOver): Promise<void> {
    handedOver.committed.catch(() => undefined); // may fail before it is looked at (below, or at the next turn)
    const previous = this.uncommitted;
    this.uncommitted = undefined;
    const previousFailure = previous && (await failureOf(previous.committed));
    if (previous && !previousFailure) this.runner.markCommitted(previous.events);
    const failure = previousFailure ?? (await failureOf(handedOver.projected));
    if (!failure) {
      this.uncommitted = { events, committed: handedOver.committed };
      return;
    }
    await failureOf(handedOver.committed); // fails too: it was projected on top of what failed, or not projected
    this.runner.reportFailure(failure.error);
    await this.runner.redo(previousFailure ? [...previous!.events, ...events] : events);
  }

  /** Settles once nothing is in flight: the last batch committed, or redone if its commit failed. */
  async drain(): Promise<void> {
    const previous = this.uncommitted;
    this.uncommitted = undefined;
    if (!previous) return;
    const failure = await failureOf(previous.committed);
    if (!failure) return this.runner.markCommitted(previous.events);
    this.runner.reportFailure(failure.error);
    await this.runner.redo(previous.events);
  }
}

/** How a step ended: undefined when it succeeded, the error (boxed: it may be anything) when it failed. */
const failureOf = (step: Promise<void>): Promise<{ error: unknown } | undefined> =>
  step.then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
