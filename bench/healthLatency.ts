import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, startChild, stopChild } from './processes';
import { round, Samples } from './stats';

/**
 * Webhook-to-health latency: from the webhook's 200 for a `Support Ticket Opened` call to the alert it raises
 * arriving on `GET /api/alerts/stream`. The alert is read from the health read model after the batch that
 * recomputed the customer's health committed, so this is an upper bound of "200 to updated health". Probes run
 * under sustained background traffic (Feature Used on many accounts, which recomputes health on every call).
 *
 * Run alone: `npm run build && node dist/bench/healthLatency.js` (HEALTH_BENCH_RATE, HEALTH_BENCH_SECONDS).
 * From bench/run.ts: `await healthLatency(url, adminToken, writeKey, { rate, seconds })`.
 */
export interface HealthLatencyResult {
  readonly backgroundEventsPerSecond: number;
  readonly probes: number;
  readonly arrived: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

export async function healthLatency(
  url: string,
  adminToken: string,
  writeKey: string,
  options: { rate: number; seconds: number; probesPerSecond?: number },
): Promise<HealthLatencyResult> {
  const auth = { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` };
  const post = (body: unknown) => fetch(`${url}/api/integrations/segment/webhook`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
  const call = (event: string, groupId: string, properties: object) => ({
    type: 'track', event, userId: `u_${groupId}`, messageId: randomUUID(), timestamp: new Date().toISOString(), properties, context: { groupId },
  });

  const samples = new Samples();
  const waiting = new Map<string, number>(); // probe subject -> when its 200 arrived
  const arrivedEarly = new Set<string>();
  const abort = new AbortController();
  const stream = await fetch(`${url}/api/alerts/stream?token=${encodeURIComponent(adminToken)}`, { signal: abort.signal });
  if (stream.status !== 200) throw new Error(`alert stream answered ${stream.status}`);
  const reading = (async () => {
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      text += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const frame = text.slice(0, end);
        text = text.slice(end + 2);
        const data = frame.split('\n').find((line) => line.startsWith('data: '));
        if (!frame.includes('event: alert') || !data) continue;
        const alert = JSON.parse(data.slice(6)) as { kind: string; details: { properties?: { subject?: string } } };
        const probe = alert.kind === 'risk-signal' ? alert.details.properties?.subject : undefined;
        if (probe === undefined) continue;
        const acked = waiting.get(probe);
        if (acked !== undefined) {
          waiting.delete(probe);
          samples.add(performance.now() - acked);
        } else arrivedEarly.add(probe); // the alert beat the 200 to this process: latency 0 from the 200
      }
    }
  })();

  // Accounts exist before the clock starts: their group calls.
  const accounts = Array.from({ length: 200 }, (_, i) => `bench_acct_${i}`);
  await post(accounts.map((groupId) => ({ type: 'group', groupId, userId: `u_${groupId}`, messageId: randomUUID(), traits: { name: groupId } })));

  const until = performance.now() + options.seconds * 1000;
  const interval = 1000 / options.rate;
  const probeEvery = Math.max(1, Math.round(options.rate / (options.probesPerSecond ?? 20)));
  let sent = 0;
  let probes = 0;
  const inFlight = new Set<Promise<unknown>>();
  const started = performance.now();
  while (performance.now() < until) {
    const due = started + sent * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    else await new Promise((resolve) => setImmediate(resolve)); // let answers and SSE frames in
    if (inFlight.size >= 256) await Promise.race(inFlight); // an open loop, but bounded
    const groupId = accounts[sent % accounts.length]!;
    const isProbe = sent % probeEvery === 0;
    const subject = isProbe ? `probe-${probes++}` : undefined;
    const body = isProbe
      ? call('Support Ticket Opened', groupId, { subject, priority: 'high' })
      : call('Feature Used', groupId, { feature: `f${sent % 8}` });
    const request = post(body).then(async (response) => {
      await response.arrayBuffer();
      if (!response.ok || !subject) return;
      if (arrivedEarly.delete(subject)) samples.add(0);
      else waiting.set(subject, performance.now());
    });
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
    sent += 1;
  }
  await Promise.allSettled([...inFlight]);
  // Let the last probes arrive (bounded), then stop reading.
  for (let i = 0; i < 100 && waiting.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  abort.abort();
  await reading;
  const p = samples.percentiles();
  return {
    backgroundEventsPerSecond: round(sent / ((performance.now() - started) / 1000), 0) ?? 0,
    probes,
    arrived: samples.count,
    p50Ms: round(p.p50, 1),
    p95Ms: round(p.p95, 1),
    p99Ms: round(p.p99, 1),
    maxMs: round(p.max, 1),
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cscx-bench-health-'));
  const writeKey = 'wk_bench_health';
  const adminToken = 'adm_bench_health';
  const env: Record<string, string> = { DATA_DIR: dataDir, SEGMENT_WRITE_KEY: writeKey, ADMIN_TOKEN: adminToken, LOG_LEVEL: 'warn' };
  if (!process.env.MONGODB_URI) env.MONGODB_URI = '';
  else env.MONGODB_DATABASE = `cscx_bench_health_${randomUUID().slice(0, 8)}`;
  const { child, url } = await startChild(join(DIST, 'src/main.js'), env);
  try {
    const result = await healthLatency(url, adminToken, writeKey, {
      rate: Number(process.env.HEALTH_BENCH_RATE ?? 1000),
      seconds: Number(process.env.HEALTH_BENCH_SECONDS ?? 10),
    });
    console.table([{ phase: `webhook 200 -> health updated (alert on SSE) [${process.env.MONGODB_URI ? 'mongodb' : 'sqlite'}]`, ...result }]);
    console.log(JSON.stringify(result));
  } finally {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
