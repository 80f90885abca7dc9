import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { closedLoop, fixedRate, LoadResult, Target } from './load';
import { cpuUs, DIST, startChild, stopChild, withRss } from './processes';
import { ReadModelWatch } from './readModelLatency';
import { round } from './stats';
import { quantileBound, scrapeAckBuckets } from './serverLatency';
import { checkTargets } from './targets';
import { cpuNote, cpuPerEvent, markCpu } from './cpuSplit';
import { Traffic } from './traffic';

/**
 * `npm run bench`: the service as a child process on loopback, realistic Segment traffic from this process,
 * figures as a table and as JSON in bench-results/. Every phase is bounded in time and request count.
 * BENCH_SECONDS (default 8) sets each phase's length, BENCH_REPLAY_EVENTS (default 1,000,000) the history size.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const REPLAY_EVENTS = Number(process.env.BENCH_REPLAY_EVENTS ?? 1_000_000);
const RATES = [500, 2000, 5000];
const WRITE_KEY = 'wk_bench';
const ADMIN_TOKEN = 'adm_bench';
const headers = { 'content-type': 'application/json', authorization: `Bearer ${WRITE_KEY}` };

interface Row {
  phase: string;
  eventsPerSecond?: number | null;
  ratioToCeiling?: number | null;
  p50Ms?: number | null;
  p95Ms?: number | null;
  p99Ms?: number | null;
  okShare?: number | null;
  rssPeakMiB?: number | null;
  /** Wall time of a phase measured by duration rather than rate (the replay). */
  seconds?: number | null;
  /** CPU per event (µs): the service's threads and the load generator (this process), from the same phase. */
  cpuUsPerEvent?: { service: number; generator: number; byThread: Record<string, number> };
  note?: string;
}

const ratioOf = (rate: number | null | undefined, ceilingRate: number) => round((rate ?? NaN) / ceilingRate, 2);

const summary = (result: LoadResult, eventsPerRequest: number) => {
  const p = result.latency.percentiles();
  return {
    eventsPerSecond: round((result.ok * eventsPerRequest) / result.seconds, 0),
    p50Ms: round(p.p50, 2),
    p95Ms: round(p.p95, 2),
    p99Ms: round(p.p99, 2),
    okShare: round(result.ok / Math.max(1, result.requests), 4),
    statuses: result.statuses,
  };
};

async function ceiling(rows: Row[]): Promise<number> {
  const { child, url } = await startChild(join(DIST, 'bench/koaCeiling.js'), {}, '/');
  const traffic = new Traffic('ceiling');
  const target: Target = { url, path: '/', headers };
  const cpuOf = () => {
    const koa = cpuUs(`/proc/${child.pid}/stat`);
    const generator = process.cpuUsage();
    return { koa: koa.user + koa.system, generator: generator.user + generator.system };
  };
  const before = cpuOf();
  const { result, rss } = await withRss(child.pid, () => closedLoop(target, () => JSON.stringify(traffic.next()), { connections: 64, seconds: SECONDS, maxRequests: 2_000_000 }));
  const after = cpuOf();
  await stopChild(child);
  const s = summary(result, 1);
  const per = (us: number) => round(us / Math.max(1, result.ok), 1) ?? 0;
  const cpuUsPerEvent = { service: per(after.koa - before.koa), generator: per(after.generator - before.generator), byThread: {} };
  rows.push({
    phase: 'do-nothing Koa endpoint (ceiling)',
    ...s,
    ratioToCeiling: 1,
    rssPeakMiB: round(rss.peakMiB, 0),
    cpuUsPerEvent,
    note: `CPU µs per request: Koa ${cpuUsPerEvent.service}, load generator ${cpuUsPerEvent.generator}`,
  });
  return s.eventsPerSecond ?? NaN;
}

/** The service as a child process on a fresh data folder (and database), for one group of phases. */
async function startService(engine: 'sqlite' | 'mongodb', extraEnv: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cscx-bench-'));
  // METRICS_TOKEN emptied: the bench reads the projection lag from /metrics.
  const env: Record<string, string> = { DATA_DIR: dataDir, SEGMENT_WRITE_KEY: WRITE_KEY, ADMIN_TOKEN, LOG_LEVEL: 'warn', METRICS_TOKEN: '', ...extraEnv };
  if (engine === 'sqlite') env.MONGODB_URI = '';
  else env.MONGODB_DATABASE = `cscx_bench_${randomUUID().slice(0, 8)}`;
  const { child, url } = await startChild(join(DIST, 'src/main.js'), env);
  const target: Target = { url, path: '/api/integrations/segment/webhook', headers };
  const stop = async () => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { child, url, target, stop };
}

/** Closed-loop single calls (64 connections) and batches of 100 (16 connections): what the service sustains. */
async function sustainedPhases(
  service: Awaited<ReturnType<typeof startService>>,
  label: (text: string) => string,
  ceilingRate: number,
  rows: Row[],
  which: 'single' | 'batch',
): Promise<void> {
  const traffic = new Traffic(`${which}${label('').replace(/\W+/g, '-')}`);
  const [body, connections, perRequest, text] =
    which === 'single'
      ? [() => JSON.stringify(traffic.next()), 64, 1, 'single-call ingest, sustained (64 connections)']
      : [() => JSON.stringify(traffic.batch(100)), 16, 100, 'batched ingest, 100 calls per request (16 connections)'];
  const before = await markCpu(service.url);
  const run = await withRss(service.child.pid, () => closedLoop(service.target, body, { connections, seconds: SECONDS, maxRequests: 1_000_000 }));
  const cpu = cpuPerEvent(before, await markCpu(service.url), run.result.ok * perRequest);
  const s = summary(run.result, perRequest);
  rows.push({
    phase: label(text),
    ...s,
    ratioToCeiling: ratioOf(s.eventsPerSecond, ceilingRate),
    rssPeakMiB: round(run.rss.peakMiB, 0),
    cpuUsPerEvent: { service: cpu.serviceUs, generator: cpu.generatorUs, byThread: Object.fromEntries(cpu.byThread) },
    note: cpuNote(cpu),
  });
}

/** Ingestion alone (RUN_PROJECTIONS=false): what the webhook takes when no read model is built beside it. */
async function ingestOnlyRun(engine: 'sqlite' | 'mongodb', ceilingRate: number, rows: Row[]): Promise<void> {
  const service = await startService(engine, { RUN_PROJECTIONS: 'false' });
  const label = (text: string) => `${text}, projections off [${engine}]`;
  try {
    await sustainedPhases(service, label, ceilingRate, rows, 'single');
    await sustainedPhases(service, label, ceilingRate, rows, 'batch');
  } finally {
    await service.stop();
  }
}

async function serviceRun(engine: 'sqlite' | 'mongodb', ceilingRate: number, rows: Row[]): Promise<void> {
  const service = await startService(engine);
  const { child, url, target } = service;
  const ratio = (rate: number | null | undefined) => ratioOf(rate, ceilingRate);
  const label = (text: string) => `${text} [${engine}]`;
  try {
    await sustainedPhases(service, label, ceilingRate, rows, 'single');

    for (const rate of RATES) {
      const traffic = new Traffic(`rate-${rate}-${engine}`);
      const before = await scrapeAckBuckets(url);
      const cpuBefore = await markCpu(url);
      const run = await withRss(child.pid, () => fixedRate(target, () => JSON.stringify(traffic.next()), { ratePerSecond: rate, seconds: SECONDS, connections: 128 }));
      const cpu = cpuPerEvent(cpuBefore, await markCpu(url), run.result.ok);
      const after = await scrapeAckBuckets(url);
      const r = summary(run.result, 1);
      rows.push({
        phase: label(`ack latency at ${rate.toLocaleString('en')} events/s`),
        ...r,
        ratioToCeiling: ratio(r.eventsPerSecond),
        rssPeakMiB: round(run.rss.peakMiB, 0),
        cpuUsPerEvent: { service: cpu.serviceUs, generator: cpu.generatorUs, byThread: Object.fromEntries(cpu.byThread) },
        note: `inside the service (its ack histogram): p50 ${quantileBound(before, after, 0.5)} ms, p99 ${quantileBound(before, after, 0.99)} ms; ${cpuNote(cpu)}`,
      });
    }

    for (const rate of [500, 2000]) {
      // Earlier phases may have left the projections behind: start from a caught-up read model, or the phase
      // measures the backlog instead of the latency.
      const waited = await projectionsCaughtUp(url);
      const watch = new ReadModelWatch();
      await watch.open(url, ADMIN_TOKEN);
      const traced = new Traffic(`readmodel-${rate}-${engine}`);
      const body = () => {
        const call = traced.next();
        watch.sent(call.messageId as string);
        return JSON.stringify(call);
      };
      const traceRun = await withRss(child.pid, () => fixedRate(target, body, { ratePerSecond: rate, seconds: SECONDS, connections: 128 }));
      // The last calls' read-model events may still be on their way: wait for them, bounded.
      for (let i = 0; i < 200 && watch.matched < traceRun.result.ok; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      watch.close();
      const lat = watch.latency.percentiles();
      rows.push({
        phase: label(`webhook-to-read-model at ${rate.toLocaleString('en')} events/s (via SSE)`),
        eventsPerSecond: round(traceRun.result.ok / traceRun.result.seconds, 0),
        p50Ms: round(lat.p50, 2),
        p95Ms: round(lat.p95, 2),
        p99Ms: round(lat.p99, 2),
        okShare: round(watch.matched / Math.max(1, traceRun.result.ok), 4),
        rssPeakMiB: round(traceRun.rss.peakMiB, 0),
        note: `okShare: acknowledged calls seen in the read model within 10 s of the phase; waited ${round(waited, 1)} s for the projections to catch up first`,
      });
    }

    await sustainedPhases(service, label, ceilingRate, rows, 'batch');
  } finally {
    await service.stop();
  }
}

/** Waits (at most 5 minutes) until every projection has caught up; returns the seconds waited. */
async function projectionsCaughtUp(url: string): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < 3000; i++) {
    const metrics = await fetch(`${url}/metrics`).then((r) => r.text(), () => '');
    const lags = [...metrics.matchAll(/^projection_lag_events\{[^}]*\} (\S+)$/gm)].map((m) => Number(m[1]));
    if (lags.length > 0 && lags.every((lag) => lag === 0)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return (performance.now() - started) / 1000;
}

function replay(engine: 'sqlite' | 'mongodb', rows: Row[]): void {
  const dataDir = mkdtempSync(join(tmpdir(), 'cscx-bench-history-'));
  const script = join(DIST, 'bench/replayRebuild.js');
  const env = { ...process.env, ...(engine === 'sqlite' ? { MONGODB_URI: '' } : { MONGODB_DATABASE: `cscx_bench_replay_${randomUUID().slice(0, 8)}` }) };
  try {
    const generated = JSON.parse(execFileSync(process.execPath, [script, 'generate', dataDir, String(REPLAY_EVENTS)], { env, encoding: 'utf8', timeout: 600_000 }).trim().split('\n').pop()!) as { events: number; seconds: number };
    // The history's last writes are still going to disk: let them land first, so the rebuild is timed on its own
    // work, not on the generator's write-back.
    execFileSync('sync');
    const rebuilt = JSON.parse(execFileSync(process.execPath, [script, 'rebuild', dataDir], { env, encoding: 'utf8', timeout: 900_000 }).trim().split('\n').pop()!) as { events: number; seconds: number; eventsPerSecond: number; cpuSeconds: number; threadCpuSeconds: Record<string, number>; rssMiB: number[] };
    const threads = Object.entries(rebuilt.threadCpuSeconds).filter(([, cpuSeconds]) => cpuSeconds >= 0.5);
    const rss = rebuilt.rssMiB;
    rows.push({
      phase: `replay: rebuild read models over ${generated.events.toLocaleString('en')} events [${engine}]`,
      eventsPerSecond: round(rebuilt.eventsPerSecond, 0),
      seconds: round(rebuilt.seconds, 1),
      rssPeakMiB: Math.max(...rss),
      note: `${round(rebuilt.seconds, 1)} s; CPU ${round(rebuilt.cpuSeconds, 1)} s (${round((rebuilt.cpuSeconds * 1e6) / rebuilt.events, 0)} µs/event, all threads${threads.length ? `: ${threads.map(([thread, cpuSeconds]) => `${thread} ${round(cpuSeconds, 1)} s`).join(', ')}` : ''}); RSS at 25/50/75/100%: ${[0.25, 0.5, 0.75, 1].map((q) => rss[Math.min(rss.length - 1, Math.floor(q * (rss.length - 1)))]).join('/')} MiB; history written in ${round(generated.seconds, 1)} s`,
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function machine() {
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: round(totalmem() / 2 ** 30, 1), node: process.version, platform: `${process.platform} ${process.arch}` };
}

function printTable(rows: Row[]): void {
  const cell = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const columns: (keyof Row)[] = ['phase', 'eventsPerSecond', 'ratioToCeiling', 'p50Ms', 'p95Ms', 'p99Ms', 'okShare', 'rssPeakMiB', 'note'];
  console.log(`| ${columns.join(' | ')} |\n|${columns.map(() => ' --- ').join('|')}|`);
  for (const row of rows) console.log(`| ${columns.map((c) => cell(row[c])).join(' | ')} |`);
}

async function main(): Promise<void> {
  const engines: ('sqlite' | 'mongodb')[] = process.env.MONGODB_URI ? ['sqlite', 'mongodb'] : ['sqlite'];
  const only = process.env.BENCH_ONLY; // e.g. "ingest" or "replay", to run a part
  const rows: Row[] = [];
  const ceilingRate = await ceiling(rows);
  for (const engine of engines) {
    if (only !== 'replay') await serviceRun(engine, ceilingRate, rows);
    if (only !== 'replay') await ingestOnlyRun(engine, ceilingRate, rows);
    if (only !== 'ingest' && REPLAY_EVENTS > 0) replay(engine, rows);
  }
  const targets = checkTargets(rows);
  const report = { takenAt: new Date().toISOString(), machine: machine(), seconds: SECONDS, rows, targets };
  printTable(rows);
  console.log('\nIssue 5 targets (embedded default):');
  for (const t of targets) console.log(`  ${t.met === null ? '-' : t.met ? 'met    ' : 'NOT met'}  ${t.target}: ${t.measured}`);
  mkdirSync('bench-results', { recursive: true });
  const file = join('bench-results', `bench-${report.takenAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log(`\nmachine: ${JSON.stringify(report.machine)}\nJSON: ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
