import type { BatchHandler, ReadAllOptions, RecordedEvent, SubscribeOptions, Subscription } from '../port';

export interface PollSource {
  /** Reads the next events and the head position at the same instant (one synchronous SQLite read). */
  readAllWithHead(options: ReadAllOptions): { events: RecordedEvent[]; head: bigint };
  /**
   * Registers a callback run after every commit, with the streams it may have written (every stream it wrote is
   * among them); returns the unregister function.
   */
  onCommit(listener: (streams: ReadonlyMap<string, unknown>) => void): () => void;
}

/** A safety net for writes this process did not make (another process on the same file). */
const IDLE_POLL_MS = 500;

/** Events read (and parsed) at once: a catch-up batch of thousands is read in slices, between turns of the loop. */
const READ_SLICE = 1000;

/**
 * Up to `batchSize` events after `after`, read slice by slice so the event loop (webhook requests) never waits for
 * a whole large batch to be read and parsed; `head` is the store's head as of the last slice.
 */
async function readBatch(
  source: PollSource,
  after: bigint,
  batchSize: number,
  streamPrefixes: readonly string[] | undefined,
): Promise<{ events: RecordedEvent[]; head: bigint }> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const wanted = Math.min(READ_SLICE, batchSize - events.length);
    const slice = source.readAllWithHead({ after: events.at(-1)?.position ?? after, maxCount: wanted, streamPrefixes });
    events.push(...slice.events);
    if (slice.events.length < wanted || events.length >= batchSize) return { events, head: slice.head };
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * A catch-up subscription over the embedded log: reads a batch, awaits the handler, repeats; when nothing is
 * left it sleeps until the next commit. `caughtUp` compares against what has been scanned, not only handled, so
 * a prefix filter that skips the newest events still catches up.
 * A full batch is followed by a read of the next one while it is handled, so two batches may be in memory.
 */
export function pollingSubscription(
  source: PollSource,
  options: SubscribeOptions,
  handler: BatchHandler,
  /** The safety-net poll (tests lengthen it to show that commits alone drive the subscription). */
  idlePollMs = IDLE_POLL_MS,
): Subscription {
  const batchSize = options.batchSize ?? 500;
  let position = options.after ?? 0n;
  let scannedUpTo = -1n;
  let stopped = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const waiters: { target: bigint; resolve: () => void; reject: (e: unknown) => void }[] = [];

  // A subscription to some categories sleeps through commits of other streams: the rejected-calls projection's
  // subscription would otherwise read after every commit of the webhook's calls and find nothing.
  const prefixes = options.streamPrefixes;
  const concerns = (streams: ReadonlyMap<string, unknown>) => {
    if (!prefixes || prefixes.length === 0) return true;
    for (const stream of streams.keys()) if (prefixes.some((prefix) => stream.startsWith(prefix))) return true;
    return false;
  };
  /** A commit concerning this subscription came after its last read began (while a batch was being handled). */
  let committedSinceRead = false;
  const unregister = source.onCommit((streams) => {
    if (!concerns(streams)) return;
    committedSinceRead = true;
    wake?.();
  });
  const read = (after: bigint) => {
    committedSinceRead = false;
    return readBatch(source, after, batchSize, options.streamPrefixes);
  };
  const settleWaiters = () => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.target <= scannedUpTo) waiters.splice(i, 1)[0]!.resolve();
    }
  };

  const loop = async (): Promise<void> => {
    let ahead: ReturnType<typeof readBatch> | undefined;
    while (!stopped) {
      const { events, head } = await (ahead ?? read(position));
      ahead = undefined;
      if (events.length > 0) {
        const last = events[events.length - 1]!.position;
        // A full batch means more is waiting (a catch-up, a replay): read the next one while this one is handled
        // elsewhere (the projector thread), so that thread does not wait for the read. Delivery still waits.
        if (events.length === batchSize) {
          ahead = read(last);
          ahead.catch(() => undefined); // a failed read is seen when awaited above, not as an unhandled rejection
        }
        await handler(events);
        position = last;
        // Reads and (SQLite) writes settle as microtasks only: without this turn a long catch-up would starve
        // timers and HTTP requests until it is done.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      scannedUpTo = events.length < batchSize ? (head > position ? head : position) : position;
      settleWaiters();
      // Sleep until the next commit, unless one came while the batch was handled (it would wait for the poll).
      if (events.length < batchSize && !stopped && !committedSinceRead) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, idlePollMs);
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
