import { expect } from 'chai';
import { group, identify, track } from '../support/segmentCalls';
import { readEngines, startTestService, TestService } from '../support/testService';
import { allSignals, json, postAdmin, productStory, put, ReplayStatusView, send } from './signalsHelpers';

/** New rules: more events count, support tickets only when urgent, audiences as risk, upgrades off. */
const NEW_RULES = [
  { id: 'any-feature', event: { pattern: 'Feature *' }, signalType: 'adoption', weight: 2, enabled: true, properties: [{ from: 'feature', to: 'feature' }] },
  { id: 'urgent-tickets', event: { equals: 'Support Ticket Opened' }, conditions: [{ property: 'priority', equals: 'high' }], signalType: 'risk', weight: 1, enabled: true },
  { id: 'upgrades', event: { equals: 'Upgrade Started' }, signalType: 'expansion', weight: 1, enabled: false },
  { id: 'churn-audience', event: { equals: 'Audience Entered' }, conditions: [{ property: 'audience_key', equals: 'churn_risk' }], signalType: 'risk', weight: 2, enabled: true },
];

/** A history over several accounts, some calls attributed only later (track before group). */
function history(): unknown[] {
  const calls: unknown[] = [];
  for (let a = 0; a < 4; a++) {
    const groupId = `acct_${a}`;
    const userId = `user_${a}`;
    calls.push(track({ userId, event: 'Feature Used', properties: { feature: 'early' } })); // before its group: resolved later
    calls.push(group({ userId, groupId, traits: { name: `Account ${a}` } }));
    for (let i = 0; i < 20; i++) {
      const event = ['Feature Used', 'Feature Shared', 'Support Ticket Opened', 'Upgrade Started', 'Audience Entered'][i % 5]!;
      const properties = { feature: `f${i % 7}`, priority: i % 2 ? 'high' : 'low', audience_key: i % 3 ? 'churn_risk' : 'power_users' };
      calls.push(track({ userId, event, properties, context: { groupId } }));
    }
  }
  return calls;
}

async function signalsByAccount(service: TestService) {
  const result: Record<string, unknown[]> = {};
  for (let a = 0; a < 4; a++) {
    const signals = await allSignals(service, `acct_${a}`);
    result[`acct_${a}`] = signals.map((s) => [s.id, s.type, s.ruleId, s.mappingVersion, s.properties]).sort();
  }
  return result;
}

async function healthByAccount(service: TestService) {
  const result: Record<string, unknown> = {};
  for (let a = 0; a < 4; a++) {
    const body = await json<{ score: number; components: unknown; signals: unknown }>(service.get(`/api/customers/acct_${a}/health`));
    result[`acct_${a}`] = [body.score, body.components, body.signals];
  }
  return result;
}

async function replay(service: TestService): Promise<ReplayStatusView> {
  const started = await json<ReplayStatusView>(postAdmin(service, '/api/admin/replay'), 202);
  await service.services.signals.replays.finished(started.id);
  await service.settled();
  return json<ReplayStatusView>(service.get(`/api/admin/replay/${started.id}`));
}

for (const readEngine of readEngines()) {
  describe(`Replay after a mapping change (read models on ${readEngine})`, function () {
    const services: TestService[] = [];
    const start = async () => {
      const service = await startTestService({ readEngine });
      services.push(service);
      return service;
    };
    afterEach(async () => {
      for (const service of services.splice(0)) await service.close();
    });

    it('gives exactly the signals and health of a from-scratch computation under the new mapping, reads never failing', async () => {
      const calls = history();
      const live = await start();
      await send(live, calls.slice(0, 60)); // acct_0 and acct_1 complete, acct_2 in part, acct_3 not yet
      await live.settled();
      await json(put(live, '/api/integrations/segment/mappings', { rules: NEW_RULES }));

      // Calls arriving in the middle of the replay: they must end up in both versions, counted once.
      let secondReplay = 0;
      live.services.signals.replays.beforeSwitch = async () => {
        secondReplay = (await postAdmin(live, '/api/admin/replay')).status;
        await send(live, calls.slice(60));
        await live.services.signals.attribution.caughtUp();
      };
      const started = await json<ReplayStatusView>(postAdmin(live, '/api/admin/replay'), 202);
      // Reads all along the replay, through the switch.
      let done = false;
      const finished = live.services.signals.replays.finished(started.id).then(() => (done = true));
      const statuses: number[] = [];
      const reads = (async () => {
        do {
          for (const path of ['/api/customers/acct_0', '/api/customers/acct_1/health', '/api/customers/acct_0/signals', '/api/segment/events/acct_1']) {
            statuses.push((await live.get(path)).status);
          }
        } while (!done);
      })();
      await finished;
      expect(secondReplay, 'a second replay while one runs').to.equal(409);
      await reads;
      await live.settled();
      expect(statuses.length).to.be.greaterThan(3);
      expect(statuses.filter((s) => s !== 200)).to.deep.equal([]);

      const status = await json<ReplayStatusView>(live.get(`/api/admin/replay/${started.id}`));
      expect(status.state).to.equal('completed');
      expect(status.toVersion).to.equal(status.fromVersion + 1);
      // Every event of the replayed streams was handled once: the ones before the replay and the ones during it.
      const streamPrefixes = live.services.signals.attribution.projection.streamPrefixes;
      const logged = await live.services.eventStore.readAll({ maxCount: 100_000, streamPrefixes });
      expect(status.progress.eventsDone).to.equal(logged.length);
      expect(status.progress.eventsTotal).to.equal(logged.length);

      const scratch = await start();
      await json(put(scratch, '/api/integrations/segment/mappings', { rules: NEW_RULES }));
      await send(scratch, calls);
      await scratch.settled();

      const replayed = await signalsByAccount(live);
      expect(replayed).to.deep.equal(await signalsByAccount(scratch));
      expect(Object.values(replayed).flat().length).to.be.greaterThan(20);
      expect(await healthByAccount(live)).to.deep.equal(await healthByAccount(scratch));
      // Attribution was rebuilt too: the customer's events are all there.
      const events = await json<{ events: unknown[] }>(live.get('/api/segment/events/acct_0?limit=500'));
      expect(events.events).to.have.length(22);
    });

    it("predicts in a dry run exactly the changes the replay then makes, and changes nothing itself", async () => {
      const service = await start();
      await send(service, [...productStory(), ...history()]);
      await service.settled();
      const signalsBefore = await signalsByAccount(service);

      const preview = await json<{ dryRun: boolean; changes: { customersChanged: number; customers: unknown[] } }>(
        postAdmin(service, '/api/admin/replay/preview', { rules: NEW_RULES }),
      );
      expect(preview.dryRun).to.equal(true);
      expect(preview.changes.customersChanged).to.be.greaterThan(0);
      expect(await signalsByAccount(service)).to.deep.equal(signalsBefore);
      expect((await json<{ version: number }>(service.get('/api/integrations/segment/mappings'))).version).to.equal(0);

      await json(put(service, '/api/integrations/segment/mappings', { rules: NEW_RULES }));
      const status = await replay(service);
      expect(status.changes).to.deep.equal(preview.changes);
      expect(await signalsByAccount(service)).to.not.deep.equal(signalsBefore);
    });

    it('predicts the replay under the workspace matching settings too (email domains off: no attribution by domain)', async () => {
      const service = await start();
      const admin = { authorization: `Bearer ${service.adminToken}` };
      const patched = await fetch(`${service.url}/api/workspace/settings`, {
        method: 'PATCH',
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify({ matchEmailDomains: false }),
      });
      expect(patched.status).to.equal(200);
      const registered = await service.post('/api/customers', { id: 'acme-dom', name: 'Acme by domain', domains: ['acme-dom.com'] }, admin);
      expect(registered.status).to.equal(201);
      const byDomainOnly = [
        identify({ userId: 'dom-user', traits: { email: 'bob@acme-dom.com' } }),
        ...[1, 2, 3].map(() => track({ userId: 'dom-user', event: 'Feature Used', properties: { feature: 'x' } })),
      ];
      await send(service, [...history(), ...byDomainOnly]);
      await service.settled();

      const preview = await json<{ changes: { customers: { customerId: string }[] } }>(
        postAdmin(service, '/api/admin/replay/preview', { rules: NEW_RULES }),
      );
      // A preview blind to the settings would attribute dom-user's calls to acme-dom by the email domain.
      expect(preview.changes.customers.map((c) => c.customerId)).to.not.include('acme-dom');
      await json(put(service, '/api/integrations/segment/mappings', { rules: NEW_RULES }));
      const status = await replay(service);
      expect(status.changes).to.deep.equal(preview.changes);
    });

    it('drops the old version once reads have switched, and keeps serving the new one after a restart', async function () {
      const service = await start();
      await send(service, productStory());
      await service.settled();
      await json(put(service, '/api/integrations/segment/mappings', { rules: NEW_RULES }));
      const first = await replay(service);
      const second = await replay(service);
      expect([first.toVersion, second.toVersion]).to.deep.equal([2, 3]);
      const collections = await service.services.readStore.listCollections();
      expect(collections).to.include('v3_signals');
      expect(collections.filter((c) => /^(v2_)?(signals|customer_health|segment_events)$/.test(c))).to.deep.equal([]);

      // New calls after the switch are projected into the new version, alerts included.
      await send(service, [track({ event: 'Support Ticket Opened', properties: { priority: 'high' }, context: { groupId: 'account_456' } })]);
      await service.settled();
      const signals = await allSignals(service, 'account_456');
      expect(signals.filter((s) => s.type === 'risk')).to.have.length(2);

      if (readEngine !== 'sqlite') return; // a fresh MongoDB database per test service: no restart on the same data
      const dataDir = service.dataDir;
      await service.services.close().catch(() => undefined);
      services.splice(services.indexOf(service), 1);
      const restarted = await startTestService({ readEngine, dataDir });
      services.push(restarted);
      expect(restarted.services.signals.versions.current().version).to.equal(3);
      expect(await allSignals(restarted, 'account_456')).to.have.length(signals.length);
    });
  });
}
