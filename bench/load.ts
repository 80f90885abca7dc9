import { Pool } from 'undici';
import { Samples } from './stats';

export interface Target {
  readonly url: string;
  readonly path: string;
  readonly headers: Record<string, string>;
}

export interface LoadResult {
  readonly requests: number;
  readonly ok: number;
  readonly statuses: Record<string, number>;
  readonly seconds: number;
  readonly latency: Samples;
}

export type Body = () => string;

async function send(pool: Pool, target: Target, body: string): Promise<number> {
  try {
    const response = await pool.request({ path: target.path, method: 'POST', headers: target.headers, body });
    await response.body.dump();
    return response.statusCode;
  } catch {
    return 0; // connection error
  }
}

/** As fast as it goes: `connections` senders, each sending its next request when the last is answered. */
export async function closedLoop(target: Target, body: Body, options: { connections: number; seconds: number; maxRequests: number }): Promise<LoadResult> {
  const pool = new Pool(target.url, { connections: options.connections, pipelining: 1 });
  const latency = new Samples();
  const statuses: Record<string, number> = {};
  let requests = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline && requests < options.maxRequests) {
      requests += 1;
      const t0 = performance.now();
      const status = await send(pool, target, body());
      latency.add(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { requests, ok: statuses['200'] ?? 0, statuses, seconds, latency };
}

/**
 * A fixed request rate whatever the answers (open loop). Latency counts from when a request was due, not when
 * it left, so a stalled server is not hidden by the generator waiting for it (coordinated omission).
 */
export async function fixedRate(
  target: Target,
  body: Body,
  options: { ratePerSecond: number; seconds: number; connections: number; onAck?: (status: number, body: string, dueMs: number) => void },
): Promise<LoadResult> {
  const pool = new Pool(target.url, { connections: options.connections, pipelining: 1 });
  const latency = new Samples();
  const statuses: Record<string, number> = {};
  const total = Math.round(options.ratePerSecond * options.seconds);
  const pending: Promise<void>[] = [];
  const started = performance.now();
  let sent = 0;
  while (sent < total) {
    const dueCount = Math.min(total, Math.floor(((performance.now() - started) / 1000) * options.ratePerSecond) + 1);
    for (; sent < dueCount; sent++) {
      const due = started + (sent / options.ratePerSecond) * 1000;
      const payload = body();
      pending.push(
        send(pool, target, payload).then((status) => {
          latency.add(performance.now() - due);
          statuses[status] = (statuses[status] ?? 0) + 1;
          options.onAck?.(status, payload, due);
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { requests: total, ok: statuses['200'] ?? 0, statuses, seconds, latency };
}
