import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Lowers the calling thread's scheduling priority by `levels` nice levels (relative to the process, so a service
 * started with a raised priority keeps its threads' order). Threads that must yield to webhook acknowledgements
 * call it first thing. Linux only: /proc/thread-self names the thread's id; elsewhere nothing changes.
 */
export function lowerThisThreadsPriority(levels: number): void {
  const threadId = thisThreadsId();
  if (threadId === undefined) return; // not Linux: run at the normal priority
  try {
    setPriority(threadId, Math.min(19, getPriority(threadId) + levels));
  } catch {
    // not allowed: run at the normal priority
  }
}

/** The calling thread's id for the kernel (Linux: /proc/thread-self names it), or undefined elsewhere. */
export function thisThreadsId(): number | undefined {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(threadId) && threadId > 0 ? threadId : undefined;
  } catch {
    return undefined;
  }
}
