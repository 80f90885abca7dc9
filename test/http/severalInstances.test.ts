import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { group, track } from '../support/segmentCalls';
import { startTestService, TestService, WEBHOOK } from '../support/testService';

/** Polls a condition another instance's timer will make true; bounded, fails the test when it never does. */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect.fail(`never happened: ${what}`);
}

describe('Several instances on shared engines', function () {
  this.timeout(60_000);
  let dataDir: string;
  let projecting: TestService;
  let standby: TestService;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cscx-instances-'));
    projecting = await startTestService({ dataDir });
    standby = await startTestService({ dataDir, config: { runProjections: false } });
  });
  afterEach(async () => {
    await standby.close();
    await projecting.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const admin = (service: TestService, token: string, path: string, body: unknown = {}) =>
    fetch(service.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });

  it('an instance without projections takes calls and serves reads that the projecting instance builds', async () => {
    for (const call of [group(), track({ context: { groupId: 'account_456' } })]) {
      expect((await standby.post(WEBHOOK, call)).status).to.equal(200);
    }
    await standby.settled(); // nothing runs there: resolves at once
    await projecting.settled();
    const listed = (await (await standby.get('/api/segment/events/account_456')).json()) as { events: unknown[] };
    expect(listed.events).to.have.length(2);

    const refused = await admin(standby, standby.adminToken, '/api/admin/replay');
    expect(refused.status).to.equal(409);
    expect(((await refused.json()) as { error: string }).error).to.equal('projections_elsewhere');
  });

  it('honours credentials set through another instance, and follows a replay made by the projecting one', async () => {
    await standby.post(WEBHOOK, group());
    await projecting.settled();
    // The standby instance started last, so its credentials are the stored ones; the other picks them up.
    await eventually('the projecting instance accepts the write key set through the other', async () => {
      const response = await projecting.post(WEBHOOK, track(), { authorization: `Bearer ${standby.writeKey}` });
      return response.status === 200;
    });

    const started = await admin(projecting, standby.adminToken, '/api/admin/replay');
    expect(started.status).to.equal(202);
    const { id } = (await started.json()) as { id: string };
    await eventually('the replay completes', async () => {
      const status = await projecting.get(`/api/admin/replay/${id}`, standby.adminToken);
      return ((await status.json()) as { state: string }).state === 'completed';
    });
    await eventually('the standby instance reads the new version', async () => {
      if (standby.services.signals.versions.current().version !== 2) return false;
      const listed = await standby.get('/api/segment/events/account_456');
      return listed.status === 200 && ((await listed.json()) as { events: unknown[] }).events.length === 2;
    });
  });
});
