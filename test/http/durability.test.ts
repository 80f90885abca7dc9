import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqliteEventStore';
import { group, track } from '../support/segmentCalls';
import { flakyEventStore } from '../support/flakyEventStore';
import { ServerProcess } from '../support/serverProcess';
import { startTestService, WEBHOOK } from '../support/testService';

describe('Durability', function () {
  this.timeout(60_000);
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cscx-durable-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps an event answered 200 by a server killed with SIGKILL right after', async () => {
    const writeKey = 'wk_durable_test';
    const server = await ServerProcess.start({ DATA_DIR: dataDir, SEGMENT_WRITE_KEY: writeKey });
    const call = group({ messageId: 'sigkill-1' });
    const answer = await fetch(`${server.url}${WEBHOOK}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${writeKey}` },
      body: JSON.stringify(call),
    });
    expect(answer.status).to.equal(200);
    await server.kill();

    const store = await openSqliteEventStore(join(dataDir, 'events.db'));
    const stored = await store.readAll({ maxCount: 100 });
    await store.close();
    expect(stored.map((e) => e.metadata.messageId)).to.deep.equal(['sigkill-1']);

    const restarted = await startTestService({ dataDir });
    try {
      await restarted.settled();
      const listed = (await (await restarted.get('/api/segment/events/account_456')).json()) as { events: { messageId: string }[] };
      expect(listed.events.map((e) => e.messageId)).to.deep.equal(['sigkill-1']);
    } finally {
      await restarted.close();
    }
  });

  it('answers a messageId seen before a restart as a duplicate after it', async () => {
    const call = track({ context: { groupId: 'account_456' } });
    const first = await startTestService({ dataDir });
    expect(await (await first.post(WEBHOOK, call)).json()).to.include({ accepted: 1 });
    await first.close();

    const second = await startTestService({ dataDir });
    try {
      expect(await (await second.post(WEBHOOK, call)).json()).to.include({ accepted: 0, duplicates: 1 });
      await second.settled();
      const listed = (await (await second.get('/api/segment/events/account_456')).json()) as { events: unknown[] };
      expect(listed.events).to.have.length(1);
    } finally {
      await second.close();
    }
  });

  it('answers 503 with Retry-After while the event store is unreachable, and stores again once it is back', async () => {
    const flaky = flakyEventStore(await openSqliteEventStore(join(dataDir, 'events.db')));
    const service = await startTestService({ dataDir, eventStore: flaky.store });
    try {
      const call = group({ messageId: 'during-outage' });
      flaky.down();
      const refused = await service.post(WEBHOOK, call);
      expect(refused.status).to.equal(503);
      expect(refused.headers.get('retry-after')).to.match(/^\d+$/);
      expect((await fetch(service.url + '/healthz')).status).to.equal(200);
      flaky.up();
      // Segment retries the same call; now it is stored, once.
      expect(await (await service.post(WEBHOOK, call)).json()).to.include({ accepted: 1, duplicates: 0 });
      await service.settled();
      const listed = (await (await service.get('/api/segment/events/account_456')).json()) as { events: unknown[] };
      expect(listed.events).to.have.length(1);
    } finally {
      await service.close();
    }
  });
});
