import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { configFromEnv } from '../src/config';
import { startServices } from '../src/service';
import { cpuUs } from './processes';
import { round } from './stats';
import { Traffic } from './traffic';

/**
 * Main-thread CPU per call of the ingest command alone (admission, live monitor, decode, seal, file, append and
 * the hand-off to the writer thread; no HTTP, no projections), in-process. The calls are made before the clock
 * starts, so only the service's work is measured; it moves much less than a load test on a shared machine.
 *
 *   node dist/bench/ingestCommandCpu.js     (BENCH_CALLS=100000, BENCH_PHASES=batch,single)
 */
const CALLS = Number(process.env.BENCH_CALLS ?? 100_000);
const PHASES = (process.env.BENCH_PHASES ?? 'batch,single').split(',');

function mainThreadCpuUs(): number {
  const { user, system } = cpuUs(`/proc/self/task/${process.pid}/stat`);
  return user + system;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cscx-ingest-command-'));
  const config = { ...configFromEnv({}), dataDir, mongodbUri: undefined, runProjections: false, logLevel: 'warn', segmentWriteKey: 'wk_bench' };
  const services = await startServices(config, pino({ level: 'warn' }));
  const workspaceId = services.workspaces.byWriteKey('wk_bench')!._id;
  try {
    for (const [phase, perRequest, concurrency] of [['batch', 100, 16], ['single', 1, 64]] as const) {
      if (!PHASES.includes(phase)) continue;
      const traffic = new Traffic(`${phase}-${Date.now()}`);
      // As the webhook hands them over: parsed from JSON text.
      const requests = Array.from({ length: CALLS / perRequest }, () => JSON.parse(JSON.stringify(traffic.batch(perRequest))) as unknown[]);
      const run = async (from: number, to: number) => {
        let next = from;
        const worker = async () => {
          while (next < to) {
            const calls = requests[next++]!;
            await services.ingest({ workspaceId, calls, callBytes: () => 1000, receivedAt: new Date(), correlationId: 'bench', source: 'bench' });
          }
        };
        await Promise.all(Array.from({ length: concurrency }, worker));
      };
      const warm = Math.floor(requests.length / 5);
      await run(0, warm); // JIT, keys of most identities
      const before = mainThreadCpuUs();
      const started = performance.now();
      await run(warm, requests.length);
      const seconds = (performance.now() - started) / 1000;
      const events = (requests.length - warm) * perRequest;
      console.log(JSON.stringify({ phase, events, mainUsPerEvent: round((mainThreadCpuUs() - before) / events, 1), eventsPerSecond: round(events / seconds, 0) }));
    }
  } finally {
    await services.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
