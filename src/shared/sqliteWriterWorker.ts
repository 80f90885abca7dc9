/**
 * The embedded event store's writer thread. better-sqlite3 is synchronous, so a commit's fsync would stop the
 * main event loop (and every webhook request with it) for its whole duration. Here it only stops this thread:
 * the main thread keeps parsing and sealing the next calls, which then share the next commit.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { AppendRequest, createAppender } from './appender';
import { migrate } from './schema';

export type WriterRequest = { readonly group: readonly AppendRequest[] } | { readonly close: true };
export type WriterReply = { readonly outcomes: ReturnType<ReturnType<typeof createAppender>> } | { readonly failure: string };

const port = parentPort;
if (!port) throw new Error('writerThread runs as a worker thread');
const db = new Database((workerData as { filePath: string }).filePath);
migrate(db);
const append = createAppender(db);

port.on('message', (message: WriterRequest) => {
  if ('close' in message) {
    db.close();
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    reply = { outcomes: append(message.group) };
  } catch (error) {
    reply = { failure: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
