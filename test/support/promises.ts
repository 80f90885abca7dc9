import { expect } from 'chai';

/** Lets other queued callbacks and I/O run once; a slow handler in tests, not a sleep (no wall-clock time). */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A promise the test settles by hand, to hold a handler at a known point. */
export function gate(): { readonly opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** Awaits a promise that must reject and returns its reason; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (reason) {
    return reason;
  }
  expect.fail('expected the promise to reject, but it resolved');
}

/** Polls a condition between event-loop turns; fails after a bounded number of turns instead of hanging. */
export async function eventually(condition: () => boolean, turns = 10_000): Promise<void> {
  for (let turn = 0; turn < turns; turn++) {
    if (condition()) return;
    await yieldToEventLoop();
  }
  expect.fail(`condition not reached within ${turns} event-loop turns`);
}
