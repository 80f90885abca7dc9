import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config';
import { readEngines, ReadEngine, startTestService, TestService } from '../support/testService';
import { json, productStory, send } from './signalsHelpers';

interface Received {
  readonly alertId: string;
  readonly body: { alert: { id: string; kind: string } };
}

/** A receiver on loopback that answers `status()` to every POST and keeps what it accepted. */
async function receiver(status: () => number): Promise<{ url: string; received: Received[]; attempts: () => number; close: () => void }> {
  const received: Received[] = [];
  let attempts = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      attempts += 1;
      const answer = status();
      if (answer < 300) received.push({ body: JSON.parse(body), alertId: String(req.headers['x-cscx-alert-id']) });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`, received, attempts: () => attempts, close: () => server.close() };
}

const alertIds = async (service: TestService) =>
  (await json<{ alerts: { id: string }[] }>(service.get('/api/alerts?limit=500'))).alerts.map((a) => a.id);

/** The engines of one deployment, kept across restarts (a MongoDB database of its own on the mongodb engine). */
function deployment(readEngine: ReadEngine) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cscx-alert-webhook-'));
  const database = `cscx_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const engines: Partial<Config> = readEngine === 'mongodb' ? { mongodbUri: process.env.MONGODB_URI!, mongodbDatabase: database } : {};
  return {
    start: (config: Partial<Config>) => startTestService({ dataDir, config: { ...engines, ...config } }),
    remove: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      if (readEngine !== 'mongodb') return;
      const { MongoClient } = await import('mongodb');
      const client = await MongoClient.connect(process.env.MONGODB_URI!);
      await client.db(database).dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}

for (const readEngine of readEngines()) {
  describe(`Alerts POSTed to the outbound webhook (read models on ${readEngine})`, function () {
    let service: TestService | undefined;
    afterEach(async () => {
      await service?.close();
      service = undefined;
    });

    it('POSTs alerts to the outbound webhook, retrying after a failure', async () => {
      let answered = 0;
      const receiving = await receiver(() => (++answered === 1 ? 503 : 204));
      try {
        service = await startTestService({ readEngine, config: { alertWebhookUrl: receiving.url, alertWebhookRetryBaseMs: 1 } });
        const webhook = service.services.signals.alertWebhook!;
        await send(service, productStory());
        await service.settled();
        await service.services.signals.alertFeed.settled();
        await webhook.settled();
        expect(receiving.attempts()).to.be.greaterThan(1);
        expect(receiving.received.map((r) => r.body.alert.kind)).to.include('risk-signal');
        expect(receiving.received[0]!.alertId).to.match(/risk-signal/);
      } finally {
        receiving.close();
      }
    });

    it('delivers alerts raised while the receiver was down after a restart, each once, and none again after another', async () => {
      let up = false;
      const receiving = await receiver(() => (up ? 204 : 503));
      const engines = deployment(readEngine);
      try {
        // The receiver is down: the first attempt fails and the retry waits (a second) when the service stops.
        service = await engines.start({ alertWebhookUrl: receiving.url, alertWebhookRetryBaseMs: 1000 });
        await send(service, productStory());
        await service.settled();
        await service.services.signals.alertFeed.settled();
        while (receiving.attempts() < 1) await new Promise((resolve) => setImmediate(resolve));
        const raised = await alertIds(service);
        expect(raised.length).to.be.greaterThan(0);
        await service.close();
        service = undefined;
        expect(receiving.received).to.have.length(0);

        up = true;
        service = await engines.start({ alertWebhookUrl: receiving.url, alertWebhookRetryBaseMs: 1 });
        await service.services.signals.alertWebhook!.settled();
        expect(receiving.received.map((r) => r.alertId).sort()).to.deep.equal([...raised].sort());
        await service.close();
        service = undefined;

        service = await engines.start({ alertWebhookUrl: receiving.url, alertWebhookRetryBaseMs: 1 });
        await service.services.signals.alertWebhook!.settled();
        expect(receiving.received).to.have.length(raised.length);
      } finally {
        await service?.close();
        service = undefined;
        receiving.close();
        await engines.remove();
      }
    });

    it('starts after the alerts raised before a webhook was configured', async () => {
      const receiving = await receiver(() => 204);
      const engines = deployment(readEngine);
      try {
        service = await engines.start({});
        await send(service, productStory());
        await service.settled();
        const before = await alertIds(service);
        expect(before.length).to.be.greaterThan(0);
        await service.close();
        service = undefined;

        service = await engines.start({ alertWebhookUrl: receiving.url, alertWebhookRetryBaseMs: 1 });
        await service.services.signals.alertWebhook!.settled();
        expect(receiving.received).to.have.length(0);
        await send(service, [productStory()[4]]); // another high-priority ticket: new alerts
        await service.settled();
        await service.services.signals.alertFeed.settled();
        await service.services.signals.alertWebhook!.settled();
        const raisedSince = (await alertIds(service)).filter((id) => !before.includes(id));
        expect(raisedSince.length).to.be.greaterThan(0);
        expect(receiving.received.map((r) => r.alertId).sort()).to.deep.equal(raisedSince.sort());
      } finally {
        await service?.close();
        service = undefined;
        receiving.close();
        await engines.remove();
      }
    });
  });
}
