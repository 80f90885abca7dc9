/**
 * Coalesces concurrent asynchronous requests: those made while a batch is in flight (or in the same turn of the
 * event loop) are handled together by the next batch, so a remote store sees one round trip for many callers.
 * The asynchronous counterpart of GroupCommit: at most one batch runs at a time.
 */
export class CoalescingBatcher<Request, Result> {
  private queue: { request: Request; resolve: (r: Result) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

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
  }
}
