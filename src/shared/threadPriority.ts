import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Lowers the calling thread's scheduling priority by `levels` nice levels (relative to the process, so a service
 * started with a raised priority keeps its threads' order). Threads that must yield to webhook acknowledgements
 * call it first thing. Linux only: /proc/thread-self names the thread's id; elsewhere nothing changes.
 */
export function lowerThisThreadsPriority(levels: number): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, Math.min(19, getPriority(threadId) + levels));
  } catch {
    // not Linux, or not allowed: run at the normal priority
  }
}
