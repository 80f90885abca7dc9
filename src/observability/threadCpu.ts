import { readdirSync, readFileSync } from 'node:fs';
import { BroadcastChannel, isMainThread } from 'node:worker_threads';
import { thisThreadsId } from '../shared/threadPriority';

/**
 * CPU time per thread of the service, by role. The work is spread over threads (webhooks on the main thread,
 * appends on the event store's writer, read models on the projector, log copies on the checkpointers), and the
 * process's CPU alone cannot say which of them is the one that is full.
 *
 * Each worker names itself when it starts (`nameThisThread`), on a broadcast channel the main thread listens to
 * from the service's start (`listenForThreadNames`). Linux only: a thread's id comes from /proc/thread-self and
 * its CPU from /proc/self/task/<id>/stat; elsewhere the names go nowhere and the sample is empty.
 */
const CHANNEL = 'cscx:thread-names';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on every Linux build in use). */
const TICKS_PER_SECOND = 100;

interface ThreadName {
  readonly tid: number;
  readonly role: string;
}

/** Called first thing by a worker thread: its role, as /metrics will name it. */
export function nameThisThread(role: string): void {
  const tid = thisThreadsId();
  if (tid === undefined) return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage({ tid, role } satisfies ThreadName);
  channel.close();
}

/** The role of each thread id, as the workers announced it; one per process, heard from before any worker starts. */
let names: Map<number, string> | undefined;

/**
 * Starts hearing the workers' names (idempotent). Call it before the first worker starts: a name announced
 * before anyone listens is lost, and that thread's CPU is counted as `other`.
 */
export function listenForThreadNames(): void {
  if (names || !isMainThread) return;
  const heard = new Map<number, string>();
  names = heard;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (message) => {
    const { tid, role } = (message as { data: ThreadName }).data;
    heard.set(tid, role);
  };
  channel.unref(); // listening never keeps the process alive
}

/**
 * CPU seconds so far of each role: `main` (the event loop), every named worker (several with one role add up),
 * and `other` for the rest (V8's compiler and garbage-collector helpers, libuv's pool). Threads that have ended
 * are no longer counted, so a role's figure drops when its thread is replaced (a crashed writer): a reset, as
 * Prometheus treats a counter that goes down.
 */
export function threadCpuSeconds(): Map<string, number> {
  const byRole = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return byRole; // not Linux
  }
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // ended since the listing
    }
    // Fields after the command name (which may hold spaces, inside parentheses): utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    const id = Number(tid);
    const role = id === process.pid ? 'main' : (names?.get(id) ?? 'other');
    byRole.set(role, (byRole.get(role) ?? 0) + seconds);
  }
  for (const tid of names?.keys() ?? []) if (!tids.includes(String(tid))) names!.delete(tid);
  return byRole;
}
