import { expect } from 'chai';
import { openMongoReadStore } from '../../src/readstore/mongo';
import { type ReadStore, ReadStoreUnavailableError } from '../../src/readstore/port';
import { FerretDbProcess } from '../readstore/ferretdbProcess';
import { startTestService, TestService, WEBHOOK } from '../support/testService';

const ACCOUNTS = 5;
let counter = 0;
const trackFor = (account: number) => ({
  type: 'track',
  messageId: `mongo-fault-${++counter}`,
  userId: `user-${account}`,
  event: 'Report Viewed',
  context: { groupId: `acct-${account}` },
  timestamp: new Date(Date.UTC(2026, 10, 1) + counter * 1000).toISOString(),
});

/** Opens the read store once the server takes connections (each failing try lasts a server-selection timeout). */
async function openWhenUp(uri: string): Promise<ReadStore> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openMongoReadStore(uri, 'faults');
    } catch (error) {
      if (attempt >= 10 || !(error instanceof ReadStoreUnavailableError)) throw error;
    }
  }
}

describe('Faults: the MongoDB server stops and restarts under the projections', function () {
  this.timeout(120_000);
  const binary = process.env['FERRETDB_BIN'];
  if (!process.env['MONGODB_URI'] || !binary) {
    it('pending: needs MONGODB_URI and FERRETDB_BIN (source .ci/ferretdb.sh)');
    return;
  }

  let server: FerretDbProcess;
  let service: TestService | undefined;
  before(async () => {
    server = await FerretDbProcess.create(binary);
    server.start();
  });
  after(async () => {
    await service?.close().catch(() => undefined);
    await server.dispose();
  });

  it('pauses the projections, resumes from their checkpoint, and converges with nothing counted twice', async () => {
    service = await startTestService({ readStore: await openWhenUp(server.uri) });
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => i);
    expect((await service.post(WEBHOOK, accounts.map((a) => ({ ...trackFor(a), type: 'group', groupId: `acct-${a}` }))))).to.have.property('status', 200);
    await service.settled();

    // The read store goes away; calls keep being accepted (they are in the event store), the projections pause.
    await server.stop();
    const sent: ReturnType<typeof trackFor>[] = [];
    for (let request = 0; request < 5; request++) {
      const calls = Array.from({ length: 100 }, (_, i) => trackFor((request + i) % ACCOUNTS));
      expect((await service.post(WEBHOOK, calls)).status).to.equal(200);
      sent.push(...calls);
    }
    await service.services.reliability.health.probe();
    const during = (await (await fetch(service.url + '/readyz')).json()) as { readStore: string };
    expect(during.readStore).to.equal('down');
    const checkpoint = service.services.projections.find((p) => p.projection.name === 'attribution')!.position;
    const head = Number(await service.services.eventStore.headPosition());
    expect(checkpoint, 'the projection is behind while the read store is down').to.be.lessThan(head);

    server.start();
    await service.settled();
    await service.services.reliability.health.probe();

    for (const account of accounts) {
      const expected = sent.filter((c) => c.context.groupId === `acct-${account}`).map((c) => c.messageId);
      const listed: string[] = [];
      let cursor: string | null = null;
      let eventCount = NaN;
      for (let page = 0; page < 20; page++) {
        const body = (await (await service.get(`/api/segment/events/acct-${account}?limit=500${cursor ? `&cursor=${cursor}` : ''}`)).json()) as {
          customer: { eventCount: number };
          events: { messageId: string }[];
          nextCursor: string | null;
        };
        eventCount = body.customer.eventCount;
        listed.push(...body.events.map((e) => e.messageId));
        cursor = body.nextCursor;
        if (!cursor) break;
      }
      expect(new Set(listed).size, `acct-${account}: no call listed twice`).to.equal(listed.length);
      expect(expected.filter((id) => !listed.includes(id)), `acct-${account}: every call projected`).to.deep.equal([]);
      expect(eventCount, `acct-${account}: counted once each`).to.equal(listed.length);
    }
  });
});
