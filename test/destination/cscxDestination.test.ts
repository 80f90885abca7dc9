import { createTestEvent, createTestIntegration } from '@segment/actions-core';
import type { SegmentEvent } from '@segment/actions-core';
import { expect } from 'chai';
import definition from '../../destination';
import { readEngines, startTestService, TestService } from '../support/testService';

interface Listed {
  events: { messageId: string; type: string; call: Record<string, unknown> }[];
}

/** Events as Segment hands them to a destination, for one user of one account. */
function session(user: string, account: string): SegmentEvent[] {
  const who = { userId: user, anonymousId: `anon-${user}` };
  return [
    createTestEvent({ ...who, type: 'group', groupId: account, traits: { name: `${account} Inc`, plan: 'enterprise' } }),
    createTestEvent({ ...who, type: 'identify', traits: { email: `${user}@${account}.example` } }),
    createTestEvent({ ...who, type: 'track', event: 'Report Created', properties: { report: 'churn' } }),
    createTestEvent({ ...who, type: 'page', name: 'Dashboard', properties: { path: '/dashboard' } }),
    createTestEvent({ ...who, type: 'screen', name: 'Home', properties: { tab: 'overview' } }),
  ];
}

for (const readEngine of readEngines()) {
  describe(`CSCX.AI Destination Actions definition, run by Segment's actions-core (read models on ${readEngine})`, function () {
    let service: TestService;
    const cscx = createTestIntegration(definition);
    const settings = () => ({ writeKey: service.writeKey, endpoint: service.url });
    const withPresets = () => ({ ...settings(), subscriptions: JSON.parse(JSON.stringify(definition.presets)) });
    beforeEach(async () => {
      service = await startTestService({ readEngine });
    });
    afterEach(async () => service.close());

    const listed = async (account: string) => {
      await service.settled();
      return (await (await service.get(`/api/segment/events/${account}?limit=500`)).json()) as Listed;
    };

    it('testAuthentication accepts the workspace write key and refuses any other', async () => {
      await cscx.testAuthentication(settings());
      const refused = await cscx.testAuthentication({ ...settings(), writeKey: 'wk_not_ours' }).then(
        () => 'accepted',
        (error: Error) => error.message,
      );
      expect(refused).to.match(/Credentials are invalid: 401/);
    });

    it('runs each preset on its own call type and lands every call in the account event list', async () => {
      const events = session('jane', 'acme');
      for (const event of events) await cscx.onEvent(event, withPresets());

      const body = await listed('acme');
      expect(body.events.map((e) => e.messageId).sort()).to.deep.equal(events.map((e) => e.messageId).sort());
      expect(body.events.map((e) => e.type).sort()).to.deep.equal(['group', 'identify', 'page', 'screen', 'track']);
      const track = body.events.find((e) => e.type === 'track')!.call;
      expect(track).to.include({ event: 'Report Created', userId: 'jane', anonymousId: 'anon-jane' });
      expect(track.properties).to.deep.equal({ report: 'churn' });
      expect(track).to.not.have.property('enable_batching');
    });

    it('delivers batches per preset and reports a refused event by its index, keeping the others', async () => {
      const events = [...session('jane', 'acme'), ...session('hank', 'globex')];
      const orphan = createTestEvent({ type: 'track', event: 'Nobody', userId: undefined, anonymousId: undefined });
      const results = await cscx.onBatch([...events, orphan], withPresets());

      // Events a preset does not subscribe to are marked by the framework (reporter INTEGRATIONS); ours say DESTINATION.
      const statuses = results.flatMap((result) => result.multistatus ?? []) as { errorreporter?: string; errormessage?: string }[];
      const refused = statuses.filter((status) => status.errorreporter === 'DESTINATION');
      expect(refused.map((status) => status.errormessage)).to.deep.equal([
        'userId: userId or anonymousId is required',
      ]);
      for (const account of ['acme', 'globex']) {
        const mine = events.filter((e) => (e.userId === 'jane') === (account === 'acme')).map((e) => e.messageId);
        expect((await listed(account)).events.map((e) => e.messageId).sort()).to.deep.equal(mine.sort());
      }
    });

    it("takes a mapping that reads the account from the event's own properties (test harness, default mappings)", async () => {
      await cscx.testAction('groupAccount', {
        event: createTestEvent({ type: 'group', groupId: 'globex', traits: { name: 'Globex' } }),
        settings: settings(),
        useDefaultMappings: true,
      });
      const [response] = await cscx.testAction('trackEvent', {
        event: createTestEvent({ userId: 'someone-else', event: 'Invoice Paid', properties: { account: 'globex' } }),
        mapping: { groupId: { '@path': '$.properties.account' } },
        settings: settings(),
        useDefaultMappings: true,
      });
      expect(response!.status).to.equal(200);
      expect((await listed('globex')).events.map((e) => e.type).sort()).to.deep.equal(['group', 'track']);
    });
  });
}
