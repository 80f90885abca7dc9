import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyCustomerDirectory } from '../../src/commands/customerDirectory';
import { ingestSegmentCalls } from '../../src/commands/ingestSegmentCalls';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqliteEventStore';
import { group, track } from '../support/segmentCalls';
import { startTestService } from '../support/testService';

const ACCOUNTS = 3;
const TRACKS_PER_ACCOUNT = 1200;

describe('Projector thread: catching up on a history', function () {
  this.timeout(120_000);

  it('projects a backlog of thousands of events (batches sent to the thread in slices) completely and once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cscx-catchup-'));
    try {
      // The history is stored before the service starts: its first batches are as large as the runner allows.
      const eventStore = await openSqliteEventStore(join(dataDir, 'events.db'));
      const calls = [];
      for (let a = 0; a < ACCOUNTS; a++) {
        calls.push(group({ userId: `cu-user-${a}`, groupId: `cu-acct-${a}`, traits: { name: `Catch-up ${a}` } }));
        for (let i = 0; i < TRACKS_PER_ACCOUNT; i++) calls.push(track({ userId: `cu-user-${a}`, event: 'Feature Used', context: { groupId: `cu-acct-${a}` } }));
      }
      const receivedAt = new Date();
      for (let from = 0; from < calls.length; from += 500) {
        await ingestSegmentCalls(
          { eventStore, customers: emptyCustomerDirectory() },
          { workspaceId: 'default', calls: calls.slice(from, from + 500), callBytes: () => 300, receivedAt, correlationId: 'history', source: 'test' },
        );
      }
      await eventStore.close();

      const service = await startTestService({ dataDir });
      try {
        expect(service.services.projector, 'projected on the projector thread').to.not.equal(undefined);
        await service.settled();
        for (let a = 0; a < ACCOUNTS; a++) {
          const { customer } = (await (await service.get(`/api/segment/events/cu-acct-${a}?limit=1`)).json()) as { customer: { eventCount: number } };
          expect(customer.eventCount, `cu-acct-${a}`).to.equal(TRACKS_PER_ACCOUNT + 1);
        }
      } finally {
        await service.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
