/**
 * Group commit: writes requested in the same turn of the event loop are written in one transaction, so many
 * concurrent webhook requests share one fsync. Each request still succeeds or fails on its own.
 */
export class GroupCommit<Request, Result> {
  private queue: { request: Request; resolve: (r: Result) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    /** Writes every request in one transaction; returns one outcome per request, in order. */
    private readonly writeAll: (requests: Request[]) => (Result | Error)[],
    /** Called when the whole transaction failed (disk full, I/O error): every request gets this error. */
    private readonly onFailure: (error: unknown) => unknown,
  ) {}

  submit(request: Request): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    let outcomes: (Result | Error)[];
    try {
      outcomes = this.writeAll(batch.map((item) => item.request));
    } catch (error) {
      const mapped = this.onFailure(error);
      for (const item of batch) item.reject(mapped);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome instanceof Error) item.reject(outcome);
      else item.resolve(outcome);
    });
  }
}
