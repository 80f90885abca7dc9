import { settleable } from '../shared/settleable';

/**
 * Where a runner's deferred secondary-index build stands (see BatchApplier.buildIndexes): shown by /healthz,
 * /readyz and a replay's status.
 * - `waiting`: the runner has not caught up yet;
 * - `building`: the first attempt runs;
 * - `built`: the indexes exist;
 * - `retrying`: an attempt failed; another one follows after a backoff or runs (reads are served unindexed
 *   meanwhile, so health stays degraded during a retry too);
 * - `failed`: a bounded build (a replay's) gave up.
 */
export interface IndexBuildStatus {
  readonly state: 'waiting' | 'building' | 'built' | 'retrying' | 'failed';
  /** Attempts finished (failed, or the one that succeeded). */
  readonly attempts: number;
  /** The last failed attempt's error, until an attempt succeeds. */
  readonly error: string | null;
  readonly failingSince: string | null;
}

/** How often a failing build is attempted. */
export interface IndexBuildPolicy {
  /** Attempts before giving up; unset: never give up (the live version keeps serving and retrying). */
  readonly maxAttempts?: number;
  /** Wait after failed attempt `attempt` (1-based). */
  readonly backoffMs?: (attempt: number) => number;
}

/**
 * Each failed attempt over a large table may have held the read-model file's write lock for seconds (5-7 s per
 * index at 1,000,000 events) before failing, and the service's own writes wait behind it: retrying more often than
 * every few minutes would stall them a noticeable share of the time. Health reports the failure meanwhile, and a
 * restart (after freeing the disk, say) tries again at once.
 */
export const defaultIndexBackoff = (attempt: number): number => Math.min(300_000, 1000 * 2 ** (attempt - 1));

/** A bounded build gave up: what a replay reports as its error. */
export class IndexBuildFailedError extends Error {
  constructor(
    readonly projection: string,
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(`the secondary indexes of ${projection} could not be built (${attempts} attempts): ${messageOf(cause)}`);
    this.name = 'IndexBuildFailedError';
  }
}

/**
 * Runs a deferred index build with retries and keeps its status. What `caughtUp()` waits for depends on the
 * policy (see `awaited`).
 */
export class DeferredIndexBuild {
  private current: IndexBuildStatus = { state: 'waiting', attempts: 0, error: null, failingSince: null };
  private readonly firstAttempt = settleable();
  private readonly outcome = settleable();
  /** Ends the backoff in progress, if any. */
  private wake = (): void => undefined;

  constructor(
    private readonly projection: string,
    private readonly policy: IndexBuildPolicy,
    private readonly onError: (error: unknown, attempt: number) => void,
  ) {}

  get status(): IndexBuildStatus {
    return this.current;
  }

  /**
   * What a caught-up runner waits for before saying so:
   * - bounded (a replay): the final outcome, so a replay switches only to an indexed version and fails with the
   *   error when the build gives up;
   * - unbounded (the live version): the first attempt only. The events are projected either way, and indexes make
   *   reads faster, not right: `settled()` and the lag probes must not hang while a build keeps failing (the
   *   failure is reported as degraded health instead). When the first attempt succeeds, caught up still means
   *   indexed.
   */
  awaited(): Promise<void> {
    return this.policy.maxAttempts === undefined ? this.firstAttempt.promise : this.outcome.promise;
  }

  /** Attempts `build` until it succeeds, the policy gives up, or `stopped()` says the runner has stopped. */
  async run(build: () => Promise<void>, stopped: () => boolean): Promise<void> {
    const { maxAttempts, backoffMs = defaultIndexBackoff } = this.policy;
    for (let attempt = 1; !stopped(); attempt++) {
      if (this.current.state === 'waiting') this.current = { ...this.current, state: 'building' };
      try {
        await build();
        this.current = { state: 'built', attempts: attempt, error: null, failingSince: null };
        this.firstAttempt.resolve();
        this.outcome.resolve();
        return;
      } catch (error) {
        this.onError(error, attempt);
        const failingSince = this.current.failingSince ?? new Date().toISOString();
        if (maxAttempts !== undefined && attempt >= maxAttempts) {
          this.current = { state: 'failed', attempts: attempt, error: messageOf(error), failingSince };
          this.firstAttempt.resolve();
          this.outcome.reject(new IndexBuildFailedError(this.projection, attempt, error));
          return;
        }
        this.current = { state: 'retrying', attempts: attempt, error: messageOf(error), failingSince };
        this.firstAttempt.resolve();
        await new Promise<void>((resolve) => {
          // Unref'd: a backoff of minutes must not keep a stopped service's process alive.
          const timer = setTimeout(resolve, backoffMs(attempt)).unref();
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
    this.stop();
  }

  /**
   * The runner stopped: the backoff ends, and nobody waits for a build that will not happen (a bounded build's
   * waiters get an error rather than a caught-up version without its indexes).
   */
  stop(): void {
    this.wake();
    this.firstAttempt.resolve();
    this.outcome.reject(new Error(`projection ${this.projection} stopped before its indexes were built`));
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

