import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CoalescingBatcher } from '../../shared/coalescingBatcher';
import { EventStoreUnavailableError } from '../port';
import type { AppendOutcome, AppendRequest } from './appender';
import type { WriterReply, WriterRequest } from './writerThread';

/**
 * Group commit across a thread boundary: the writer thread writes one group at a time; requests that arrive
 * meanwhile form the next group. Under load groups grow as large as the disk is slow, which is what lets one
 * fsync serve hundreds of webhook requests while the main thread keeps serving.
 */
export class ThreadedWriter {
  private readonly batcher = new CoalescingBatcher<AppendRequest, AppendOutcome>((group) => this.write(group));
  private worker: Worker | undefined;
  /** The reply the batcher is waiting for; it runs one group at a time, so there is at most one. */
  private awaiting: { resolve: (outcomes: AppendOutcome[]) => void; reject: (error: unknown) => void } | undefined;

  constructor(
    private readonly filePath: string,
    /** Called after each group is durable, before its requests are answered. */
    private readonly onCommitted: () => void,
  ) {}

  submit(request: AppendRequest): Promise<AppendOutcome> {
    return this.batcher.submit(request);
  }

  /** Lets the groups already submitted finish, then closes the writer's connection and ends the thread. */
  async close(): Promise<void> {
    await this.batcher.whenIdle();
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ close: true } satisfies WriterRequest);
    await exited;
  }

  private write(group: AppendRequest[]): Promise<AppendOutcome[]> {
    return new Promise<AppendOutcome[]>((resolve, reject) => {
      this.awaiting = { resolve, reject };
      const worker = this.ensureWorker();
      worker.ref();
      worker.postMessage({ group } satisfies WriterRequest);
    }).finally(() => this.worker?.unref()); // an idle writer must not keep the process alive
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(join(__dirname, 'writerThread.js'), { workerData: { filePath: this.filePath } });
    worker.on('message', (reply: WriterReply) => this.onReply(reply));
    worker.on('error', (error) => this.onWorkerLost(worker, error));
    worker.on('exit', (code) => this.onWorkerLost(worker, new Error(`writer thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private onReply(reply: WriterReply): void {
    const awaiting = this.awaiting;
    this.awaiting = undefined;
    if ('failure' in reply) {
      awaiting?.reject(new EventStoreUnavailableError(`embedded event store failed to commit: ${reply.failure}`));
      return;
    }
    this.onCommitted();
    awaiting?.resolve(reply.outcomes);
  }

  /** The thread died (crash, or killed): whether its group committed is unknown, so it fails and may be retried. */
  private onWorkerLost(worker: Worker, error: Error): void {
    if (this.worker !== worker) return; // a clean close, or an older thread
    this.worker = undefined; // the next group starts a new thread
    const awaiting = this.awaiting;
    this.awaiting = undefined;
    awaiting?.reject(new EventStoreUnavailableError(`embedded event store writer stopped: ${error.message}`, error));
  }
}
