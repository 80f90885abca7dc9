import { round } from './stats';

/**
 * Where a phase's CPU went, per event: each thread of the service (its `thread_cpu_seconds_total` at /metrics,
 * read before and after) and the load generator (this process). On a machine whose cores the generator shares,
 * this is what says how far a throughput can go: the cores' time divided by the sum per event.
 */
export type ThreadCpu = Map<string, number>;

export interface CpuMark {
  readonly threads: ThreadCpu;
  readonly generatorUs: number;
}

export async function scrapeThreadCpu(url: string): Promise<ThreadCpu> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text(), () => '');
  const threads: ThreadCpu = new Map();
  for (const match of text.matchAll(/^thread_cpu_seconds_total\{thread="([^"]+)"\} (\S+)$/gm)) threads.set(match[1]!, Number(match[2]));
  return threads;
}

export async function markCpu(url: string): Promise<CpuMark> {
  const { user, system } = process.cpuUsage();
  return { threads: await scrapeThreadCpu(url), generatorUs: user + system };
}

/** µs per event by thread between two marks, largest first, the service's total and the generator's. */
export function cpuPerEvent(before: CpuMark, after: CpuMark, events: number): { byThread: [string, number][]; serviceUs: number; generatorUs: number } {
  const per = (us: number) => round(us / Math.max(1, events), 1) ?? 0;
  const byThread: [string, number][] = [];
  let serviceUs = 0;
  for (const [thread, seconds] of after.threads) {
    const us = (seconds - (before.threads.get(thread) ?? 0)) * 1e6;
    if (us <= 0) continue;
    serviceUs += us;
    byThread.push([thread, per(us)]);
  }
  byThread.sort((a, b) => b[1] - a[1]);
  return { byThread, serviceUs: per(serviceUs), generatorUs: per(after.generatorUs - before.generatorUs) };
}

/** The split as one line for the bench table's note column. */
export function cpuNote(split: ReturnType<typeof cpuPerEvent>): string {
  if (split.byThread.length === 0) return `CPU per event: load generator ${split.generatorUs} µs (service threads not reported on this OS)`;
  const threads = split.byThread.map(([thread, us]) => `${thread} ${us}`).join(', ');
  return `CPU µs per event: service ${split.serviceUs} (${threads}), load generator ${split.generatorUs}`;
}
