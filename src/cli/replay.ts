import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * `npm run replay -- <command>`: replays and dry runs from the command line, through the running service's
 * admin API (the service owns the projections; a second process must not rebuild them behind its back).
 *
 *   preview [rules.json]   what the rules in the file (default: the current ones) would change, per customer
 *   start [--no-wait]      rebuild under the current mappings; prints progress until it has switched
 *   status <id>            one replay's progress
 *
 * CSCX_URL (default http://localhost:$PORT, port 3000) and ADMIN_TOKEN (default: DATA_DIR/credentials.json).
 */
const USAGE = 'usage: npm run replay -- preview [rules.json] | start [--no-wait] | status <id>';

function adminToken(): string {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const file = join(resolve(process.env.DATA_DIR ?? './data'), 'credentials.json');
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { adminToken: string }).adminToken;
  throw new Error(`no ADMIN_TOKEN set and no ${file}`);
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const base = process.env.CSCX_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
  const response = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${adminToken()}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function fail(answer: { status: number; body: Record<string, unknown> }): never {
  console.error(`HTTP ${answer.status}: ${JSON.stringify(answer.body, null, 2)}`);
  process.exit(1);
}

const line = (status: Record<string, unknown>) => {
  const p = status.progress as { eventsDone: number; eventsTotal: number; totalIsEstimate: boolean; eventsPerSecond: number; etaSeconds: number | null };
  const eta = p.etaSeconds === null ? '?' : `${p.etaSeconds}s`;
  return `${String(status.state).padEnd(10)} ${p.eventsDone}/${p.totalIsEstimate ? '~' : ''}${p.eventsTotal} events, ${p.eventsPerSecond}/s, ETA ${eta}`;
};

async function main(args: string[]): Promise<void> {
  const [command, argument] = args;
  if (command === 'preview') {
    const rules = argument ? (JSON.parse(readFileSync(argument, 'utf8')) as { rules?: unknown }).rules : undefined;
    const answer = await call('POST', '/api/admin/replay/preview', rules === undefined ? {} : { rules });
    if (answer.status !== 200) fail(answer);
    console.log(JSON.stringify(answer.body, null, 2));
  } else if (command === 'start') {
    const answer = await call('POST', '/api/admin/replay');
    if (answer.status !== 202) fail(answer);
    const id = String(answer.body.id);
    console.log(`replay ${id}: read-model version ${answer.body.fromVersion} -> ${answer.body.toVersion}`);
    if (argument === '--no-wait') return;
    for (;;) {
      const status = await call('GET', `/api/admin/replay/${id}`);
      if (status.status !== 200) fail(status);
      console.log(line(status.body));
      if (status.body.state === 'completed') {
        console.log(JSON.stringify(status.body.changes, null, 2));
        return;
      }
      if (status.body.state === 'failed') fail(status);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } else if (command === 'status' && argument) {
    const status = await call('GET', `/api/admin/replay/${argument}`);
    if (status.status !== 200) fail(status);
    console.log(line(status.body));
  } else {
    console.error(USAGE);
    process.exit(2);
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
