/**
 * A SQLite writer thread. better-sqlite3 is synchronous, so a commit's fsync would stop the main event loop (and
 * every webhook request with it) for its whole duration. Here it only stops this thread: the main thread keeps
 * parsing and sealing the next calls, which then share the next commit.
 *
 * The thread is generic: `writerModule` exports `createWriter(db)`, which prepares the file (schema, pragmas) and
 * returns the function that writes one group of requests in one transaction.
 */
import Database from 'better-sqlite3';
import { basename } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { nameThisThread } from '../observability/threadCpu';

export interface WriterData {
  readonly filePath: string;
  /** Absolute path of the module exporting `createWriter`. */
  readonly writerModule: string;
}

export type WriterFactory<Request, Outcome> = (db: Database.Database) => (group: readonly Request[]) => Outcome[];

export type WriterRequest<Request> = { readonly group: readonly Request[] } | { readonly close: true };
export type WriterReply<Outcome> = { readonly outcomes: Outcome[] } | { readonly failure: string };

const port = parentPort;
if (!port) throw new Error('sqliteWriterWorker runs as a worker thread');
const { filePath, writerModule } = workerData as WriterData;
nameThisThread(`writer:${basename(filePath)}`);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createWriter } = require(writerModule) as { createWriter: WriterFactory<unknown, unknown> };
const db = new Database(filePath);
const write = createWriter(db);

port.on('message', (message: WriterRequest<unknown>) => {
  if ('close' in message) {
    db.close();
    port.close();
    return;
  }
  let reply: WriterReply<unknown>;
  try {
    reply = { outcomes: write(message.group) };
  } catch (error) {
    reply = { failure: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
