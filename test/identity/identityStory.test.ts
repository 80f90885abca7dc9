import { expect } from 'chai';
import { readEngines, startTestService, TestService, WEBHOOK } from '../support/testService';
import { getJson } from './api';
import { story } from './story';

for (const readEngine of readEngines()) {
  describe(`Identity resolution: the whole story (read models on ${readEngine})`, function () {
    let service: TestService;
    before(async () => {
      service = await startTestService({ readEngine });
    });
    after(async () => service.close());

    it('puts every call on the right customer, in order, with traits, computations and nothing unresolved', async () => {
      const s = story('s1');
      for (const call of s.calls) expect((await service.post(WEBHOOK, call)).status).to.equal(200);
      await service.settled();

      const events = await getJson(service, `/api/segment/events/${s.groupId}?limit=100`);
      expect(events.events.map((e: { messageId: string }) => e.messageId)).to.deep.equal(s.calls.map((c) => c.messageId).reverse());
      const byMessage = new Map(events.events.map((e: { messageId: string }) => [e.messageId, e]));
      expect((byMessage.get('s1-01') as { status: { attribution: string } }).status.attribution).to.equal('resolved-later');
      expect((byMessage.get('s1-05') as { status: { attribution: string } }).status.attribution).to.equal('explicit-group');
      expect((byMessage.get('s1-07') as { status: { attribution: string } }).status.attribution).to.equal('known-identity');
      // The event list shows the identify's traits readable (sealed in storage, opened for the reader).
      expect((byMessage.get('s1-03') as { call: { traits: { email: string } } }).call.traits.email).to.equal(s.email);

      const customer = await getJson(service, `/api/customers/${s.groupId}`);
      expect(customer).to.include({ name: 'Acme s1', source: 'segment-group', eventCount: 12, stakeholderCount: 1 });
      expect(customer.lastActivityAt).to.equal(s.calls[11]!.timestamp);
      expect(customer.segmentTraits).to.deep.equal({ name: 'Acme s1', plan: 'enterprise', website: 'https://www.acme-s1.com' });
      expect(customer.audiences.map((a: { key: string; computationClass: string; computationId: string }) => [a.key, a.computationClass, a.computationId])).to.deep.equal([
        ['high_value_accounts', 'audience', 'aud_hva'],
      ]);

      const { stakeholders } = await getJson(service, `/api/customers/${customer.id}/stakeholders`);
      expect(stakeholders).to.have.length(1);
      const jane = stakeholders[0];
      expect(jane).to.include({ email: s.email, name: s.personName, title: 'VP Operations', phone: '+1 555 0100', eventCount: 12 });
      expect(jane.identities).to.deep.equal({ userIds: [s.aliasedUserId, s.userId].sort(), anonymousIds: [s.anonymousId] });
      expect(jane.firstSeenAt).to.equal(s.calls[0]!.timestamp);
      expect(jane.traits).to.deep.equal({ email: s.email, name: s.personName, phone: '+1 555 0100', plan: 'pro', title: 'VP Operations' });
      expect(jane.computedTraits.map((t: { key: string; value: unknown; computationClass: string }) => [t.key, t.value, t.computationClass])).to.deep.equal([
        ['lifetime_value', 1200, 'trait'],
      ]);
      expect(jane.audiences.map((a: { key: string; computationId: string }) => [a.key, a.computationId])).to.deep.equal([['power_users', 'aud_power']]);

      expect((await getJson(service, '/api/integrations/segment/unresolved')).unresolved).to.deep.equal([]);
    });

    it('sends a call with context.groupId to that account and one without to the user\'s group at that time', async () => {
      const t = (m: number) => new Date(Date.parse('2026-10-05T10:00:00.000Z') + m * 60_000).toISOString();
      const calls = [
        { type: 'group', userId: 'multi', groupId: 'north', messageId: 'm-1', timestamp: t(1) },
        { type: 'group', userId: 'multi', groupId: 'south', messageId: 'm-2', timestamp: t(5) },
        { type: 'track', userId: 'multi', event: 'Seen', messageId: 'm-3', timestamp: t(3) },
        { type: 'track', userId: 'multi', event: 'Seen', messageId: 'm-4', timestamp: t(6) },
        { type: 'track', userId: 'multi', event: 'Seen', messageId: 'm-5', timestamp: t(7), context: { groupId: 'north' } },
      ];
      await service.post(WEBHOOK, calls);
      await service.settled();
      const north = await getJson(service, '/api/segment/events/north');
      const south = await getJson(service, '/api/segment/events/south');
      expect(north.events.map((e: { messageId: string }) => e.messageId)).to.deep.equal(['m-5', 'm-3', 'm-1']);
      expect(south.events.map((e: { messageId: string }) => e.messageId)).to.deep.equal(['m-4', 'm-2']);
    });
  });
}
