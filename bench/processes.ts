import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const DIST = join(__dirname, '..');

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts a Node program (with `nodeArgs` for node itself) on loopback and waits (at most 30 s) until `readyPath` answers 200. */
export async function startChild(
  script: string,
  env: Record<string, string>,
  readyPath = '/healthz',
  nodeArgs: readonly string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    const ok = await fetch(url + readyPath).then((r) => r.ok, () => false);
    if (ok) return { child, url };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`${script} did not answer ${readyPath} within 30 s`);
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Resident memory of a process in MiB (Linux /proc), or NaN where it cannot be read. */
export function rssMiB(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

/** Samples a process's RSS every 250 ms while `work` runs; returns its result with the peak and last RSS. */
export async function withRss<T>(pid: number | undefined, work: () => Promise<T>): Promise<{ result: T; rss: { peakMiB: number; endMiB: number; samples: number[] } }> {
  const samples: number[] = [rssMiB(pid)];
  const timer = setInterval(() => samples.push(rssMiB(pid)), 250);
  try {
    const result = await work();
    samples.push(rssMiB(pid));
    return { result, rss: { peakMiB: Math.max(...samples.filter(Number.isFinite)), endMiB: samples[samples.length - 1]!, samples } };
  } finally {
    clearInterval(timer);
  }
}

const TICK_US = 1e6 / 100; // USER_HZ is 100 on Linux

/** utime and stime of a /proc stat line, in µs (the name field may hold spaces: split after its closing paren). */
export function cpuUs(statPath: string): { user: number; system: number } {
  try {
    const fields = readFileSync(statPath, 'utf8').split(') ')[1]!.split(' ');
    return { user: Number(fields[11]) * TICK_US, system: Number(fields[12]) * TICK_US };
  } catch {
    return { user: 0, system: 0 };
  }
}
