import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Config, configFromEnv } from '../../src/config';
import { buildApp } from '../../src/http/app';
import type { EventStore } from '../../src/eventstore/port';
import type { ReadStore } from '../../src/readstore/port';
import { Services, startServices } from '../../src/service';

export type ReadEngine = 'sqlite' | 'mongodb';

export interface TestService {
  readonly url: string;
  readonly services: Services;
  readonly writeKey: string;
  readonly sharedSecret: string;
  readonly adminToken: string;
  readonly dataDir: string;
  /** Waits until every projection has handled every event stored so far (the checkpoint, not the clock). */
  settled(): Promise<void>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** GET with the admin token. */
  get(path: string, token?: string): Promise<Response>;
  close(): Promise<void>;
}

/** Read engines this run can test: SQLite always, MongoDB (FerretDB in CI) when MONGODB_URI is set. */
export const readEngines = (): ReadEngine[] => (process.env.MONGODB_URI ? ['sqlite', 'mongodb'] : ['sqlite']);

/**
 * The whole service in-process on a random loopback port, on a fresh data folder (and a fresh MongoDB database
 * when asked), with known credentials.
 */
export async function startTestService(
  options: { readEngine?: ReadEngine; dataDir?: string; config?: Partial<Config>; eventStore?: EventStore; readStore?: ReadStore } = {},
): Promise<TestService> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cscx-test-'));
  const writeKey = 'wk_test_' + randomUUID().slice(0, 8);
  const sharedSecret = 'ss_test_' + randomUUID().slice(0, 8);
  const adminToken = 'adm_test_' + randomUUID().slice(0, 8);
  // MongoDB comes from the configuration, like in production, so the projector thread can open it too.
  const mongoDatabase = options.readEngine === 'mongodb' ? 'cscx_test_' + randomUUID().replace(/-/g, '').slice(0, 12) : undefined;
  const config: Config = {
    ...configFromEnv({}),
    ...(mongoDatabase ? { mongodbUri: process.env.MONGODB_URI!, mongodbDatabase: mongoDatabase } : {}),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    segmentWriteKey: writeKey,
    segmentSharedSecret: sharedSecret,
    adminToken,
    logLevel: 'silent',
    ...options.config,
  };
  const services = await startServices(config, pino({ level: 'silent' }), { readStore: options.readStore, eventStore: options.eventStore });
  const server = buildApp(services).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    services,
    writeKey,
    sharedSecret,
    adminToken,
    dataDir,
    settled: () => services.projectionsCaughtUp(),
    post: (path, body, headers = {}) =>
      fetch(url + path, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Basic ' + Buffer.from(`${writeKey}:`).toString('base64'),
          ...headers,
        },
        // A copy as a plain Uint8Array: it is a BodyInit under Node's and the DOM's fetch types alike (the DOM lib is
        // in the program through @segment/actions-core's cross-fetch types).
        body: typeof body === 'string' ? body : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
      }),
    get: (path, token = adminToken) => fetch(url + path, { headers: { authorization: `Bearer ${token}` } }),
    close: async () => {
      services.live.close(); // ends open monitor streams, which would otherwise keep the server from closing
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      if (mongoDatabase) {
        const { MongoClient } = await import('mongodb');
        const client = await MongoClient.connect(process.env.MONGODB_URI!);
        await client.db(mongoDatabase).dropDatabase().catch(() => undefined);
        await client.close();
      }
      await services.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const WEBHOOK = '/api/integrations/segment/webhook';
