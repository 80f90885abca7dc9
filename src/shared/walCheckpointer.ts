import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CheckpointerData } from './walCheckpointerWorker';

/**
 * In WAL mode SQLite checkpoints inside a commit once the log passes `wal_autocheckpoint` pages: that commit then
 * copies megabytes into the database and syncs it, and the batch (or the acknowledgements) waiting on it wait
 * longer. A checkpointer thread copies the log as it grows, with PASSIVE checkpoints that never block a writer, so
 * the commit that reaches the threshold finds little left to copy; it still rewinds the log (SQLite reuses the log
 * from its start only after a checkpoint that leaves nothing behind, which a busy writer rarely lets a thread of
 * its own see).
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(filePath: string, intervals: Partial<Pick<CheckpointerData, 'busyIntervalMs' | 'idleIntervalMs'>> = {}) {
    const workerData: CheckpointerData = { filePath, busyIntervalMs: 10, idleIntervalMs: 250, ...intervals };
    this.worker = new Worker(join(__dirname, 'walCheckpointerWorker.js'), { workerData });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.unref(); // a background chore: it never keeps the process alive
    this.worker.on('error', () => undefined); // losing it costs only the backstop's longer commits
  }

  /** Ends the thread after its connection is closed (at once if it already ended). */
  close(): Promise<void> {
    this.worker.ref(); // closing is work: end the connection before the process ends
    this.worker.postMessage('close');
    return this.exited;
  }
}

