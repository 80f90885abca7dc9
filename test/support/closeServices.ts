/**
 * Run as a child process by test/projector/shutdown.test.ts: starts the services on a data folder, stores calls,
 * closes at once (batches may be in flight) and prints "closed" only after `close()` has resolved.
 */
import pino from 'pino';
import { configFromEnv } from '../../src/config';
import { startServices } from '../../src/service';
import { track } from './segmentCalls';

async function main(): Promise<void> {
  const config = { ...configFromEnv({}), dataDir: process.argv[2]!, logLevel: 'silent' };
  const services = await startServices(config, pino({ level: 'silent' }));
  const calls = Array.from({ length: 2000 }, (_, i) => track({ userId: `closing-${i % 20}`, context: { groupId: 'closing-acct' } }));
  await services.ingest({ workspaceId: 'default', calls, callBytes: () => 200, receivedAt: new Date(), correlationId: 'close', source: 'test' } as never);
  await services.close();
  console.log('closed');
}

void main();
