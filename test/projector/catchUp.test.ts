import Database from 'better-sqlite3';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyCustomerDirectory } from '../../src/commands/customerDirectory';
import { ingestSegmentCalls } from '../../src/commands/ingestSegmentCalls';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqliteEventStore';
import { group, track } from '../support/segmentCalls';
import { readEngines, startTestService as startService, TestService } from '../support/testService';

const FULL = { accounts: 3, tracksPerAccount: 1200 };
const SMALL = { accounts: 2, tracksPerAccount: 60 };

// The default batches take the history in one (3,600 events); batches of 500 are pipelined: each is committed on
// the read-model writer thread while the next is projected (ProjectionRunner.handlePipelined).
for (const projectionBatchSize of [undefined, 500]) {
  describe(`Projector thread: catching up on a history${projectionBatchSize ? ` in pipelined batches of ${projectionBatchSize}` : ''}`, function () {
    const startTestService = (options: Parameters<typeof startService>[0]) =>
      startService({ ...options, config: projectionBatchSize ? { projectionBatchSize } : {} });
    this.timeout(120_000);

    let dataDir: string;
    beforeEach(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'cscx-catchup-'));
      await storeHistory(dataDir);
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    it('projects a backlog of thousands of events (batches sent to the thread in slices) completely and once', async () => {
      const service = await startTestService({ dataDir });
      try {
        expect(service.services.projector, 'projected on the projector thread').to.not.equal(undefined);
        await service.settled();
        await expectEveryCallCountedOnce(service);
      } finally {
        await service.close();
      }
    });

    it('has every read-model index by the time it reports being caught up (a first catch-up builds them at its end)', async () => {
      const service = await startTestService({ dataDir });
      try {
        await service.settled();
        const db = new Database(join(dataDir, 'readmodels.db'), { readonly: true });
        try {
          const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix:%'`).pluck().all() as string[];
          const expected = service.services.projections.flatMap((p) =>
            p.projection.collections.flatMap((c) => (c.indexes ?? []).map((spec) => `ix:${c.name}:${spec.join(',')}`)),
          );
          expect(expected).to.include('ix:segment_events:workspaceId,customerId,sortKey');
          expect(indexes).to.include.members(expected);
        } finally {
          db.close();
        }
        await expectEveryCallCountedOnce(service);
      } finally {
        await service.close();
      }
    });

    it('survives the thread dying while a large batch is being handed over: the batch is sent again, counted once', async () => {
      // Outside a test runner an unhandled rejection ends the process: there must be none.
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      const service = await startTestService({ dataDir });
      try {
        const projector = service.services.projector!;
        while (projector.batchesInFlight === 0) await new Promise((resolve) => setImmediate(resolve));
        await projector.terminate(); // the first batch's slices are on their way (3,600 events: four messages)
        await service.settled();
        expect(projector.lostBatches).to.be.greaterThan(0);
        await expectEveryCallCountedOnce(service);
        expect(unhandled).to.deep.equal([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
        await service.close();
      }
    });

    it('cut off in the middle of a batch at shutdown, projects it again at the next start without counting twice', async () => {
      const first = await startTestService({ dataDir });
      // As soon as the first batch is on the thread, close without a grace period: it is abandoned where it stands.
      while (first.services.projector!.batchesInFlight === 0) await new Promise((resolve) => setImmediate(resolve));
      await first.services.projector!.close(0);
      await first.close();
      const attribution = first.services.projections.find((p) => p.projection.name === 'attribution')!;
      expect(attribution.position, 'the first batch was not acknowledged').to.equal(0);

      const second = await startTestService({ dataDir });
      try {
        await second.settled();
        await expectEveryCallCountedOnce(second);
      } finally {
        await second.close();
      }
    });
  });

}

if (readEngines().includes('mongodb')) {
  describe('Projector thread: catching up on a history in pipelined batches, read models on mongodb', function () {
    this.timeout(120_000);
    let dataDir: string;
    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'cscx-catchup-'));
      await storeHistory(dataDir, SMALL); // FerretDB writes one document at a time: a small history, small batches
    });
    after(() => rmSync(dataDir, { recursive: true, force: true }));

    it('projects the backlog completely and once (MongoDB writes are not waited on while the next batch is projected)', async () => {
      const service = await startService({ dataDir, readEngine: 'mongodb', config: { projectionBatchSize: 40 } });
      try {
        await service.settled();
        await expectEveryCallCountedOnce(service, SMALL);
      } finally {
        await service.close();
      }
    });
  });
}

/** The history is stored before the service starts: its first batches are as large as the runner allows. */
async function storeHistory(dataDir: string, { accounts, tracksPerAccount } = FULL): Promise<void> {
  const eventStore = await openSqliteEventStore(join(dataDir, 'events.db'));
  const calls = [];
  for (let a = 0; a < accounts; a++) {
    calls.push(group({ userId: `cu-user-${a}`, groupId: `cu-acct-${a}`, traits: { name: `Catch-up ${a}` } }));
    for (let i = 0; i < tracksPerAccount; i++) calls.push(track({ userId: `cu-user-${a}`, event: 'Feature Used', context: { groupId: `cu-acct-${a}` } }));
  }
  const receivedAt = new Date();
  for (let from = 0; from < calls.length; from += 500) {
    await ingestSegmentCalls(
      { eventStore, customers: emptyCustomerDirectory() },
      { workspaceId: 'default', calls: calls.slice(from, from + 500), callBytes: () => 300, receivedAt, correlationId: 'history', source: 'test' },
    );
  }
  await eventStore.close();
}

async function expectEveryCallCountedOnce(service: TestService, { accounts, tracksPerAccount } = FULL): Promise<void> {
  for (let a = 0; a < accounts; a++) {
    const { customer } = (await (await service.get(`/api/segment/events/cu-acct-${a}?limit=1`)).json()) as { customer: { eventCount: number } };
    expect(customer.eventCount, `cu-acct-${a}`).to.equal(tracksPerAccount + 1);
  }
}
