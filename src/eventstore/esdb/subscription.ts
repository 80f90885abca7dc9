import {
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  EventStoreDBClient,
  type Position,
  START,
  streamNameFilter,
} from '@eventstore/db-client';
import { type BatchHandler, EventStoreUnavailableError, type SubscribeOptions, type Subscription } from '../port';
import { isTransientFailure, toPortError } from './errors';
import { toPositionedEvent } from './recordedEvent';
import { isWantedStream, prefixFilter, SHOWN_STREAMS_REGEX } from './streamNames';

const DEFAULT_BATCH_SIZE = 100;

/** Waits before resubscribing after a transient failure; when they run out, `done` rejects. */
const RESUBSCRIBE_DELAYS_MS = [250, 1_000, 4_000, 15_000];

/** Finds the newest wanted event above a floor (see allReads.newestWantedPosition). */
export type NewestWantedPosition = (prefixes: readonly string[] | undefined, floor: bigint) => Promise<bigint | undefined>;

/** Marks an error thrown by the caller's handler: it ends the subscription, it is never retried. */
class HandlerFailure {
  constructor(readonly error: unknown) {}
}

interface CaughtUpWaiter {
  readonly target: bigint;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
}

/**
 * A catch-up subscription to `$all` with backpressure: it takes the events the client has already buffered (up to
 * the batch size), awaits the handler, and only then reads on, so the client's stream pauses (and with it the gRPC
 * flow) while the handler works. The client does not resubscribe after an error, so this does, from the last
 * handled position, a few times before giving up.
 */
export class EsdbSubscription implements Subscription {
  readonly done: Promise<void>;
  private readonly prefixes: readonly string[] | undefined;
  private readonly batchSize: number;
  /** Commit position of the last event handled or skipped; -1n before any. */
  private handledUpTo: bigint;
  /** Where to resubscribe from: the full position of the last event handled or skipped (exclusive). */
  private resumeFrom: Position | typeof START;
  private current: AllStreamSubscription | undefined;
  private stopping = false;
  private wakeFromBackoff: () => void = () => undefined;
  private ended: { readonly reason: unknown } | undefined;
  private readonly waiters = new Set<CaughtUpWaiter>();

  constructor(
    private readonly client: EventStoreDBClient,
    options: SubscribeOptions,
    private readonly handler: BatchHandler,
    private readonly newestWanted: NewestWantedPosition,
  ) {
    this.prefixes = prefixFilter(options.streamPrefixes);
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    this.handledUpTo = options.after ?? -1n;
    // Only a commit position is known here; for gRPC appends the prepare position is the same.
    this.resumeFrom = options.after === undefined ? START : { commit: options.after, prepare: options.after };
    this.done = this.run().then(
      () => this.end(new Error('subscription stopped')),
      (error: unknown) => {
        this.end(error);
        throw error;
      },
    );
  }

  /**
   * Finds the newest wanted event stored now (scanning back from the end of `$all`, not below what is handled) and
   * waits until the handler has finished it. The server's own caught-up signal carries no position in this client,
   * and a filtered subscription may reach the head without any matching event, so neither alone would do.
   */
  async caughtUp(): Promise<void> {
    this.throwIfEnded();
    const target = await this.newestWanted(this.prefixes, this.handledUpTo);
    if (target === undefined || target <= this.handledUpTo) return;
    this.throwIfEnded();
    return new Promise((resolve, reject) => {
      this.waiters.add({ target, resolve, reject });
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeFromBackoff();
    const current = this.current;
    if (current) await cancel(current);
    await this.done.catch(() => undefined);
  }

  private async run(): Promise<void> {
    let failedAttempts = 0;
    while (!this.stopping) {
      const subscription = this.client.subscribeToAll(
        { fromPosition: this.resumeFrom, filter: this.serverFilter() },
        { highWaterMark: this.batchSize },
      );
      this.current = subscription;
      let failure: unknown;
      try {
        await this.deliver(subscription, () => {
          failedAttempts = 0;
        });
        failure = new EventStoreUnavailableError('EventStoreDB ended the subscription');
      } catch (error) {
        if (error instanceof HandlerFailure) throw error.error;
        failure = error;
      } finally {
        this.current = undefined;
        await cancel(subscription);
      }
      if (this.stopping) return;
      const delay = RESUBSCRIBE_DELAYS_MS[failedAttempts];
      const transient = isTransientFailure(failure) || failure instanceof EventStoreUnavailableError;
      if (!transient || delay === undefined) throw toPortError(failure);
      failedAttempts++;
      await this.backoff(delay);
    }
  }

  /** Hands batches to the handler until the stream ends or fails, or the subscription is stopped. */
  private async deliver(subscription: AllStreamSubscription, onProgress: () => void): Promise<void> {
    const buffered = subscription[Symbol.asyncIterator]();
    for (;;) {
      const first = await buffered.next();
      if (first.done || this.stopping) return;
      const batch: AllStreamResolvedEvent[] = [first.value];
      // Add what has already arrived, without waiting for more.
      while (batch.length < this.batchSize && subscription.readableLength > 0) {
        const next = await buffered.next();
        if (next.done) break;
        batch.push(next.value);
      }
      if (this.stopping) return;
      await this.handOver(batch);
      onProgress();
    }
  }

  private async handOver(batch: readonly AllStreamResolvedEvent[]): Promise<void> {
    const recorded = batch.flatMap((resolved) => (resolved.event ? [resolved.event] : []));
    const wanted = recorded
      .filter((event) => isWantedStream(event.streamId, this.prefixes))
      .map((event) => toPositionedEvent(event).event);
    if (wanted.length > 0) {
      try {
        await this.handler(wanted);
      } catch (error) {
        throw new HandlerFailure(error);
      }
    }
    const last = recorded[recorded.length - 1];
    if (last) this.advanceTo(last.position);
  }

  private advanceTo(position: Position): void {
    this.resumeFrom = position;
    if (position.commit > this.handledUpTo) this.handledUpTo = position.commit;
    for (const waiter of this.waiters) {
      if (waiter.target <= this.handledUpTo) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private throwIfEnded(): void {
    if (this.ended) throw this.ended.reason;
  }

  private end(reason: unknown): void {
    this.ended = { reason };
    for (const waiter of this.waiters) waiter.reject(reason);
    this.waiters.clear();
  }

  private serverFilter() {
    return this.prefixes
      ? streamNameFilter({ prefixes: [...this.prefixes] })
      : streamNameFilter({ regex: SHOWN_STREAMS_REGEX });
  }

  private backoff(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeFromBackoff = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** Cancels the gRPC call and ends the local stream, so a pending read of the iterator settles. */
async function cancel(subscription: AllStreamSubscription): Promise<void> {
  await subscription.unsubscribe().catch(() => undefined);
  subscription.destroy();
}
