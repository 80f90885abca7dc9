import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedLoop, fixedRate, Target } from './load';
import { cpuUs, DIST, startChild, stopChild } from './processes';
import { round } from './stats';
import { Traffic } from './traffic';

/**
 * CPU per ingested event, the figure that stays comparable on a busy machine (throughput does not): the service
 * as a child process, closed-loop load from this process, and the service's CPU read from /proc before and after
 * each phase, split into its main thread (the event loop that answers webhooks) and all its threads.
 *
 *   node dist/bench/ingestCpu.js            (BENCH_SECONDS=5, RUN_PROJECTIONS=true, BENCH_PHASES=single,batch)
 *
 * BENCH_RATE=<events/s> sends at that fixed rate instead of as fast as it goes: the same work at every run, so
 * the figure moves less when other programs take the cores (group commits, for one, grow with load).
 * SERVICE_NODE_ARGS go to the service's node only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` for a profile.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RATE = Number(process.env.BENCH_RATE ?? 0);
const PHASES = (process.env.BENCH_PHASES ?? 'single,batch').split(',');
const WRITE_KEY = 'wk_bench';

/** The main thread's (tid = pid) and the whole process's CPU, in µs. */
function cpuOf(pid: number) {
  const main = cpuUs(`/proc/${pid}/task/${pid}/stat`);
  const all = cpuUs(`/proc/${pid}/stat`);
  return { main: main.user + main.system, mainSystem: main.system, all: all.user + all.system };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cscx-ingest-cpu-'));
  const env = { DATA_DIR: dataDir, SEGMENT_WRITE_KEY: WRITE_KEY, ADMIN_TOKEN: 'adm_bench', LOG_LEVEL: 'warn', MONGODB_URI: '' };
  const nodeArgs = (process.env.SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const { child, url } = await startChild(join(DIST, 'src/main.js'), env, '/healthz', nodeArgs);
  const target: Target = { url, path: '/api/integrations/segment/webhook', headers: { 'content-type': 'application/json', authorization: `Bearer ${WRITE_KEY}` } };
  const pid = child.pid!;
  try {
    for (const phase of PHASES) {
      const traffic = new Traffic(`cpu-${phase}-${Date.now()}`);
      const [body, connections, perRequest] =
        phase === 'single' ? [() => JSON.stringify(traffic.next()), 64, 1] : [() => JSON.stringify(traffic.batch(100)), 16, 100];
      await closedLoop(target, body, { connections, seconds: 1, maxRequests: 1_000_000 }); // warm-up (JIT, keys)
      const before = cpuOf(pid);
      const run = RATE
        ? await fixedRate(target, body, { ratePerSecond: RATE / perRequest, seconds: SECONDS, connections: 128 })
        : await closedLoop(target, body, { connections, seconds: SECONDS, maxRequests: 1_000_000 });
      const after = cpuOf(pid);
      const events = run.ok * perRequest;
      const perEvent = (us: number) => round(us / Math.max(1, events), 1);
      console.log(
        JSON.stringify({
          phase,
          eventsPerSecond: round(events / run.seconds, 0),
          mainUsPerEvent: perEvent(after.main - before.main),
          mainSystemUsPerEvent: perEvent(after.mainSystem - before.mainSystem),
          allUsPerEvent: perEvent(after.all - before.all),
          statuses: run.statuses,
        }),
      );
    }
  } finally {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
