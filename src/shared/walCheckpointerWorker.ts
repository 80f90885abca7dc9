/**
 * The WAL checkpointer thread (see walCheckpointer.ts): copies committed pages from a SQLite file's write-ahead log
 * into the database on its own connection, so the threads that commit never do it inside a commit.
 */
import Database from 'better-sqlite3';
import { basename } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { nameThisThread } from '../observability/threadCpu';
import { lowerThisThreadsPriority } from './threadPriority';

export interface CheckpointerData {
  readonly filePath: string;
  /** Pause between checkpoints while the log grows. */
  readonly busyIntervalMs: number;
  /** Pause once everything is copied and nothing new came. */
  readonly idleIntervalMs: number;
}

const port = parentPort;
if (!port) throw new Error('walCheckpointerWorker runs as a worker thread');
const { filePath, busyIntervalMs, idleIntervalMs } = workerData as CheckpointerData;
nameThisThread(`wal-checkpointer:${basename(filePath)}`);
// Copying can wait for spare CPU: acknowledgements and projections come first.
lowerThisThreadsPriority(10);
const db = new Database(filePath);
// As the writers' connections: the WAL is synced before a checkpoint, the database after it.
db.pragma('synchronous = NORMAL');

let lastLog = -1;
let timer: NodeJS.Timeout | undefined;

/**
 * A PASSIVE checkpoint copies what no reader still needs and never waits for readers or writers. The log is only
 * rewound (reused from its start) by a commit that finds it completely copied, so while commits come often the
 * checkpoints follow closely; once all is copied and nothing new arrives, they slow down.
 */
function checkpoint(): void {
  let next = busyIntervalMs;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    if (result && result.log === result.checkpointed && result.log === lastLog) next = idleIntervalMs;
    lastLog = result?.log ?? -1;
  } catch {
    // busy, or the file is going away at shutdown: try again later (SQLite's own backstop still bounds the log)
  }
  timer = setTimeout(checkpoint, next);
}
timer = setTimeout(checkpoint, idleIntervalMs);

port.on('message', (message: 'close') => {
  if (message !== 'close') return;
  clearTimeout(timer);
  db.close();
  port.close();
});
