import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CoalescingBatcher } from './coalescingBatcher';
import type { WriterData, WriterReply, WriterRequest } from './sqliteWriterWorker';

/**
 * Group commit across a thread boundary: the writer thread (sqliteWriterWorker.ts) writes one group at a time;
 * requests that arrive meanwhile form the next group. Under load groups grow as large as the disk is slow, which
 * is what lets one fsync serve hundreds of webhook requests while the main thread keeps serving.
 */
interface WriterOptions {
  /** The error every request of a failed group (or of a lost thread) gets, from the reason. */
  readonly failure: (reason: string, cause?: unknown) => Error;
  /** Called after each group is durable, before its requests are answered. */
  readonly onCommitted?: () => void;
}

/**
 * The same group commit on the calling thread: for `:memory:` databases, which only their one connection can
 * see. `write` is what the writer thread's `createWriter` returns.
 */
export function inlineWriter<Request, Outcome>(write: (group: readonly Request[]) => Outcome[], options: WriterOptions) {
  const batcher = new CoalescingBatcher<Request, Outcome>(async (group) => {
    let outcomes: Outcome[];
    try {
      outcomes = write(group);
    } catch (error) {
      throw options.failure(error instanceof Error ? error.message : String(error), error);
    }
    options.onCommitted?.();
    return outcomes;
  });
  return { submit: (request: Request) => batcher.submit(request), close: () => batcher.whenIdle() };
}

export class SqliteWriterThread<Request, Outcome> {
  private readonly batcher = new CoalescingBatcher<Request, Outcome>((group) => this.write(group));
  private worker: Worker | undefined;
  /** The reply the batcher is waiting for; it runs one group at a time, so there is at most one. */
  private awaiting: { resolve: (outcomes: Outcome[]) => void; reject: (error: unknown) => void } | undefined;

  constructor(
    private readonly writer: WriterData,
    private readonly options: WriterOptions,
  ) {}

  submit(request: Request): Promise<Outcome> {
    return this.batcher.submit(request);
  }

  /** Lets the groups already submitted finish, then closes the writer's connection and ends the thread. */
  async close(): Promise<void> {
    await this.batcher.whenIdle();
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    worker.ref(); // closing is work: the process must not end before the thread has closed its connection
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ close: true } satisfies WriterRequest<Request>);
    await exited;
  }

  private write(group: Request[]): Promise<Outcome[]> {
    return new Promise<Outcome[]>((resolve, reject) => {
      this.awaiting = { resolve, reject };
      const worker = this.ensureWorker();
      worker.ref();
      worker.postMessage({ group } satisfies WriterRequest<Request>);
    }).finally(() => this.worker?.unref()); // an idle writer must not keep the process alive
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(join(__dirname, 'sqliteWriterWorker.js'), { workerData: this.writer });
    worker.on('message', (reply: WriterReply<Outcome>) => this.onReply(reply));
    worker.on('error', (error) => this.onWorkerLost(worker, error));
    worker.on('exit', (code) => this.onWorkerLost(worker, new Error(`writer thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private onReply(reply: WriterReply<Outcome>): void {
    const awaiting = this.awaiting;
    this.awaiting = undefined;
    if ('failure' in reply) {
      awaiting?.reject(this.options.failure(reply.failure));
      return;
    }
    this.options.onCommitted?.();
    awaiting?.resolve(reply.outcomes);
  }

  /** The thread died (crash, or killed): whether its group committed is unknown, so it fails and may be retried. */
  private onWorkerLost(worker: Worker, error: Error): void {
    if (this.worker !== worker) return; // a clean close, or an older thread
    this.worker = undefined; // the next group starts a new thread
    const awaiting = this.awaiting;
    this.awaiting = undefined;
    awaiting?.reject(this.options.failure(`writer thread stopped: ${error.message}`, error));
  }
}
