import { expect } from 'chai';
import { track } from '../support/segmentCalls';
import { readEngines, startTestService, TestService } from '../support/testService';
import { allSignals, json, productStory, put, send } from './signalsHelpers';

interface HealthView {
  score: number | null;
  band: string;
  components: Record<string, number>;
  signals: Record<string, number>;
}
interface AlertView {
  kind: string;
  customerId: string;
  severity: string;
  details: Record<string, unknown>;
}

for (const readEngine of readEngines()) {
  describe(`Signals, health and alerts from Segment events (read models on ${readEngine})`, function () {
    let service: TestService;
    beforeEach(async () => {
      service = await startTestService({ readEngine });
    });
    afterEach(async () => service.close());

    it("turns the product requirements' examples into adoption, expansion and risk signals", async () => {
      await send(service, productStory());
      await service.settled();
      const signals = await allSignals(service, 'account_456');
      expect(signals.map((s) => [s.event, s.type]).reverse()).to.deep.equal([
        ['Feature Used', 'adoption'],
        ['Feature Used', 'adoption'],
        ['Upgrade Started', 'expansion'],
        ['Support Ticket Opened', 'risk'],
      ]);
      expect(signals.every((s) => s.mappingVersion === 0)).to.equal(true);
      expect(signals.find((s) => s.type === 'expansion')!.properties).to.deep.equal({ plan: 'enterprise', seats: 50 });

      const risks = await json<{ signals: { type: string }[] }>(service.get('/api/customers/account_456/signals?type=risk'));
      expect(risks.signals.map((s) => s.type)).to.deep.equal(['risk']);
    });

    it('moves health with every signal and raises an alert for the risk signal', async () => {
      const [groupCall, ...tracks] = productStory();
      await send(service, [groupCall, tracks[0], tracks[1], tracks[2]]);
      await service.settled();
      const before = await json<HealthView>(service.get('/api/customers/account_456/health'));
      expect(before.signals).to.deep.equal({ adoption: 2, expansion: 1 });
      expect(before.components.expansion).to.be.greaterThan(0);
      expect((await json<{ alerts: AlertView[] }>(service.get('/api/alerts'))).alerts).to.deep.equal([]);

      await send(service, [tracks[3]]);
      await service.settled();
      const after = await json<HealthView>(service.get('/api/customers/account_456/health'));
      expect(after.score).to.be.lessThan(before.score!);
      expect(after.components.risk).to.be.lessThan(0);
      const alerts = (await json<{ alerts: AlertView[] }>(service.get('/api/alerts'))).alerts;
      expect(alerts.map((a) => a.kind)).to.include('risk-signal');
      expect(alerts.find((a) => a.kind === 'risk-signal')!.details).to.deep.include({ event: 'Support Ticket Opened' });
    });

    it('raises a threshold alert when the score falls into a worse band', async () => {
      const groupId = 'account_band';
      const features = ['a', 'b', 'c', 'd', 'e', 'f'].map((feature) =>
        track({ userId: 'u_band', event: 'Feature Used', properties: { feature }, context: { groupId } }),
      );
      await send(service, [productStory(groupId, 'u_band')[0], ...features]);
      await service.settled();
      const healthy = await json<HealthView>(service.get(`/api/customers/${groupId}/health`));
      const tickets = [1, 2, 3, 4].map(() => track({ userId: 'u_band', event: 'Support Ticket Opened', properties: {}, context: { groupId } }));
      await send(service, tickets);
      await service.settled();
      const worse = await json<HealthView>(service.get(`/api/customers/${groupId}/health`));
      expect(worse.band).to.not.equal(healthy.band);
      const alerts = (await json<{ alerts: AlertView[] }>(service.get(`/api/alerts?customerId=${groupId}&kind=score-threshold`))).alerts;
      expect(alerts.length).to.be.greaterThan(0);
      expect(alerts.every((a) => a.kind === 'score-threshold')).to.equal(true);
    });

    it('makes one signal of an event Segment delivers twice', async () => {
      const story = productStory();
      await send(service, story);
      await send(service, [story[1], story[4]]);
      await service.settled();
      expect(await allSignals(service, 'account_456')).to.have.length(4);
      const health = await json<HealthView>(service.get('/api/customers/account_456/health'));
      expect(health.signals).to.deep.equal({ adoption: 2, expansion: 1, risk: 1 });
    });

    it('shows the connection, the default mappings and ingestion statistics', async () => {
      await send(service, productStory());
      await service.settled();
      const config = await json<{
        connection: { webhookUrl: string; writeKey: string };
        setup: string[];
        mappings: { version: number; rules: { id: string; event: { equals: string }; signalType: string }[] };
        statistics: { eventsStored: number; signals: number; customers: number };
      }>(service.get('/api/integrations/segment/config'));
      expect(config.connection.webhookUrl).to.equal(`${service.url}/api/integrations/segment/webhook`);
      expect(config.connection.writeKey).to.not.include(service.writeKey);
      expect(config.setup.length).to.be.greaterThan(2);
      expect(config.mappings.version).to.equal(0);
      expect(config.mappings.rules.map((r) => [r.event.equals, r.signalType])).to.deep.equal([
        ['Feature Used', 'adoption'],
        ['Upgrade Started', 'expansion'],
        ['Support Ticket Opened', 'risk'],
        ['Audience Entered', 'audience_entered'],
        ['Audience Exited', 'audience_exited'],
      ]);
      expect(config.statistics).to.deep.include({ eventsStored: 6, signals: 4, customers: 1 });
    });

    it('saves a new mapping version as an event and maps new calls with it', async () => {
      const rules = [
        { id: 'reports', event: { pattern: 'Report *' }, signalType: 'adoption', weight: 2, enabled: true, properties: [{ from: 'report.kind', to: 'kind' }] },
        { id: 'big-tickets', event: { equals: 'Support Ticket Opened' }, conditions: [{ property: 'priority', oneOf: ['high', 'urgent'] }], signalType: 'risk', weight: 3, enabled: true },
      ];
      const saved = await json<{ version: number }>(put(service, '/api/integrations/segment/mappings', { rules, changedBy: 'ana@cscx.ai' }));
      expect(saved.version).to.equal(1);
      const again = await json<{ version: number }>(put(service, '/api/integrations/segment/mappings', { rules, expectedVersion: 1 }));
      expect(again.version).to.equal(2);
      expect((await put(service, '/api/integrations/segment/mappings', { rules, expectedVersion: 1 })).status).to.equal(409);

      const groupId = 'account_456';
      await send(service, [
        productStory()[0],
        track({ event: 'Report Exported', properties: { report: { kind: 'csv' } }, context: { groupId } }),
        track({ event: 'Support Ticket Opened', properties: { priority: 'low' }, context: { groupId } }),
        track({ event: 'Support Ticket Opened', properties: { priority: 'urgent' }, context: { groupId } }),
        track({ event: 'Feature Used', properties: { feature: 'x' }, context: { groupId } }),
      ]);
      await service.settled();
      const signals = await allSignals(service, groupId);
      expect(signals.map((s) => [s.ruleId, s.mappingVersion, s.properties]).reverse()).to.deep.equal([
        ['reports', 2, { kind: 'csv' }],
        ['big-tickets', 2, {}],
      ]);
      const history = await json<{ versions: { version: number; changedBy: string }[] }>(service.get('/api/integrations/segment/mappings/history'));
      expect(history.versions.map((v) => [v.version, v.changedBy])).to.deep.equal([
        [2, 'workspace-admin'],
        [1, 'ana@cscx.ai'],
      ]);
    });

    it('refuses invalid mappings with 400 and the path of every wrong field', async () => {
      const response = await put(service, '/api/integrations/segment/mappings', {
        rules: [
          { id: 'ok', event: { equals: 'Feature Used' }, signalType: 'adoption', weight: 1, enabled: true },
          { id: 'bad weight', event: { equals: 'X' }, signalType: 'Not A Type', weight: 1000, enabled: 'yes' },
        ],
      });
      const body = await json<{ errors: { path: string }[] }>(response, 400);
      expect(body.errors.map((e) => e.path)).to.include.members(['rules.1.id', 'rules.1.signalType', 'rules.1.weight', 'rules.1.enabled']);
      const duplicate = await put(service, '/api/integrations/segment/mappings', {
        rules: [0, 1].map(() => ({ id: 'same', event: { equals: 'A' }, signalType: 'risk', weight: 1, enabled: true })),
      });
      expect((await json<{ errors: { path: string }[] }>(duplicate, 400)).errors.map((e) => e.path)).to.deep.equal(['rules.1.id']);
      expect((await json<{ version: number }>(service.get('/api/integrations/segment/mappings'))).version).to.equal(0);
    });

    it('answers 404 for an unknown customer and 400 for bad query parameters', async () => {
      await send(service, productStory());
      await service.settled();
      expect((await service.get('/api/customers/nobody/health')).status).to.equal(404);
      expect((await service.get('/api/customers/nobody/signals')).status).to.equal(404);
      expect((await service.get('/api/customers/account_456/signals?from=yesterday')).status).to.equal(400);
      expect((await service.get('/api/customers/account_456/signals?type=NOPE')).status).to.equal(400);
      expect((await service.get('/api/alerts?kind=nonsense')).status).to.equal(400);
      expect((await service.get('/api/alerts', 'wrong-token')).status).to.equal(401);
    });

    it('filters signals by time range and pages through them', async () => {
      const story = productStory();
      await send(service, story);
      await service.settled();
      const timestamps = story.slice(1, 5).map((c) => c.timestamp);
      const ranged = await json<{ signals: { timestamp: string }[] }>(
        service.get(`/api/customers/account_456/signals?from=${timestamps[1]}&to=${timestamps[3]}`),
      );
      expect(ranged.signals.map((s) => s.timestamp)).to.deep.equal([timestamps[2], timestamps[1]]);
      const first = await json<{ signals: unknown[]; nextCursor: string }>(service.get('/api/customers/account_456/signals?limit=3'));
      expect(first.signals).to.have.length(3);
      const second = await json<{ signals: unknown[]; nextCursor: string | null }>(
        service.get(`/api/customers/account_456/signals?limit=3&cursor=${first.nextCursor}`),
      );
      expect(second.signals).to.have.length(1);
      expect(second.nextCursor).to.equal(null);
    });
  });
}
