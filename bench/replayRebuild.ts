import { copyFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { emptyCustomerDirectory } from '../src/commands/customerDirectory';
import { ingestSegmentCalls } from '../src/commands/ingestSegmentCalls';
import { configFromEnv } from '../src/config';
import { openSqliteEventStore } from '../src/eventstore/sqlite/sqliteEventStore';
import { PersonalDataCipher } from '../src/privacy/personalDataCipher';
import { openSqliteKeyStore } from '../src/privacy/sqliteKeyStore';
import { listenForThreadNames, threadCpuSeconds } from '../src/observability/threadCpu';
import { startServices } from '../src/service';
import { Traffic } from './traffic';

/**
 * A child process of the benchmark, in two steps so each has a clean heap:
 *   `generate <dataDir> <events>`: writes a history of realistic calls straight into the embedded event store,
 *   through the real ingest command (2,000 calls per append), personal data sealed with its person's key as the
 *   service stores it (keys in `<dataDir>/keys.db`), so the rebuild opens it as a real one does;
 *   `rebuild <dataDir>`: starts the service's projections on an empty read store over that history and times
 *   how long they take to catch up, sampling its own RSS. Prints one JSON line.
 */
async function generate(dataDir: string, events: number): Promise<void> {
  const eventStore = await openSqliteEventStore(join(dataDir, 'events.db'));
  const traffic = new Traffic('history', { customers: 5000, usersPerCustomer: 40 });
  const customers = emptyCustomerDirectory();
  const keyStore = openSqliteKeyStore(join(dataDir, 'keys.db'));
  const cipher = new PersonalDataCipher(keyStore);
  const started = performance.now();
  for (let written = 0; written < events; ) {
    const calls = traffic.batch(Math.min(2000, events - written));
    await ingestSegmentCalls(
      { eventStore, customers, cipher },
      { workspaceId: 'default', calls, callBytes: () => 600, receivedAt: new Date(), correlationId: 'history', source: 'bench' },
    );
    written += calls.length;
  }
  const head = Number(await eventStore.headPosition());
  console.log(JSON.stringify({ events: head, seconds: (performance.now() - started) / 1000 }));
  await eventStore.close();
  await keyStore.close();
}

async function rebuild(dataDir: string): Promise<void> {
  listenForThreadNames(); // before the event store's threads start
  const rss: number[] = [];
  const sample = () => rss.push(Math.round(process.memoryUsage().rss / 1048576));
  const timer = setInterval(sample, 500);
  // Inside the history's folder, which the benchmark removes afterwards (a rebuild's read models are large).
  const readDir = mkdtempSync(join(dataDir, 'readmodels-'));
  // The history's keys, where the service looks for them (closed by the generator: no write-ahead log left).
  copyFileSync(join(dataDir, 'keys.db'), join(readDir, 'keys.db'));
  const config = { ...configFromEnv(), dataDir: readDir, logLevel: 'warn' };
  const eventStore = await openSqliteEventStore(join(dataDir, 'events.db'));
  const head = Number(await eventStore.headPosition());
  sample();
  const started = performance.now();
  const services = await startServices(config, pino({ level: 'warn' }), { eventStore });
  await services.projectionsCaughtUp();
  const seconds = (performance.now() - started) / 1000;
  sample();
  clearInterval(timer);
  const cpu = process.cpuUsage();
  // Printed before closing: the figures are taken, and a slow shutdown must not lose them.
  console.log(
    JSON.stringify({
      events: head,
      seconds,
      eventsPerSecond: head / seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      // Which thread the rebuild waited for: the busiest one is its critical path (Linux; empty elsewhere).
      threadCpuSeconds: Object.fromEntries([...threadCpuSeconds()].sort((a, b) => b[1] - a[1])),
      rssMiB: rss,
      projections: services.projections.map((p) => p.projection.name),
    }),
  );
  await services.close();
}

const [step, dataDir, events] = process.argv.slice(2);
(step === 'generate' ? generate(dataDir!, Number(events)) : rebuild(dataDir!)).catch((error) => {
  console.error(error);
  process.exit(1);
});
