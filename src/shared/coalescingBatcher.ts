/**
 * Coalesces concurrent asynchronous requests: those made while a batch is in flight (or in the same turn of the
 * event loop) are handled together by the next batch, so a remote store sees one round trip for many callers.
 * At most one batch runs at a time (the group commit of src/shared/sqliteWriterThread.ts is built on it).
 */
export class CoalescingBatcher<Request, Result> {
  private queue: { request: Request; resolve: (r: Result) => void; reject: (e: unknown) => void }[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    /** Handles every request of a batch; returns one result per request, in order. */
    private readonly runAll: (requests: Request[]) => Promise<Result[]>,
  ) {}

  submit(request: Request): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Resolves once every request submitted so far has been answered. */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        const results = await this.runAll(batch.map((item) => item.request));
        batch.forEach((item, i) => item.resolve(results[i]!));
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    this.running = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
