/**
 * A promise settled from outside, for a result other code reports later (an index build's outcome, a batch's
 * "projected" answer). Nobody may be waiting when it fails: that is no unhandled rejection.
 */
export function settleable(): { readonly promise: Promise<void>; readonly resolve: () => void; readonly reject: (reason: unknown) => void } {
  let resolve = (): void => undefined;
  let reject = (_reason: unknown): void => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
