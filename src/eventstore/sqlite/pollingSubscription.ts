import type { BatchHandler, ReadAllOptions, RecordedEvent, SubscribeOptions, Subscription } from '../port';

export interface PollSource {
  /** Reads the next events and the head position at the same instant (one synchronous SQLite read). */
  readAllWithHead(options: ReadAllOptions): { events: RecordedEvent[]; head: bigint };
  /** Registers a callback run after every commit; returns the unregister function. */
  onCommit(listener: () => void): () => void;
}

/** A safety net for writes this process did not make (another process on the same file). */
const IDLE_POLL_MS = 500;

/**
 * A catch-up subscription over the embedded log: reads a batch, awaits the handler, repeats; when nothing is
 * left it sleeps until the next commit. `caughtUp` compares against what has been scanned, not only handled, so
 * a prefix filter that skips the newest events still catches up.
 */
export function pollingSubscription(source: PollSource, options: SubscribeOptions, handler: BatchHandler): Subscription {
  const batchSize = options.batchSize ?? 500;
  let position = options.after ?? 0n;
  let scannedUpTo = -1n;
  let stopped = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const waiters: { target: bigint; resolve: () => void; reject: (e: unknown) => void }[] = [];

  const unregister = source.onCommit(() => wake?.());
  const settleWaiters = () => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.target <= scannedUpTo) waiters.splice(i, 1)[0]!.resolve();
    }
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      const { events, head } = source.readAllWithHead({
        after: position,
        maxCount: batchSize,
        streamPrefixes: options.streamPrefixes,
      });
      if (events.length > 0) {
        await handler(events);
        position = events[events.length - 1]!.position;
        // Reads and (SQLite) writes settle as microtasks only: without this turn a long catch-up would starve
        // timers and HTTP requests until it is done.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      scannedUpTo = events.length < batchSize ? (head > position ? head : position) : position;
      settleWaiters();
      if (events.length < batchSize && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, IDLE_POLL_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  };

  const done = loop().finally(unregister);
  done.catch((error) => {
    failure = { error };
    for (const waiter of waiters.splice(0)) waiter.reject(error);
  });

  return {
    done,
    caughtUp: () =>
      new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure.error);
        const { head } = source.readAllWithHead({ after: 0n, maxCount: 0 });
        if (head <= scannedUpTo) return resolve();
        waiters.push({ target: head, resolve, reject });
        wake?.();
      }),
    stop: async () => {
      stopped = true;
      wake?.();
      await done.catch(() => undefined);
    },
  };
}
