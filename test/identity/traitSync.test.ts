import { expect } from 'chai';
import { readEngines, startTestService, TestService, WEBHOOK } from '../support/testService';
import { getJson } from './api';

const at = (minute: number) => new Date(Date.parse('2026-10-10T09:00:00.000Z') + minute * 60_000).toISOString();

for (const readEngine of readEngines()) {
  describe(`Trait sync, last write wins by Segment timestamp (read models on ${readEngine})`, function () {
    let service: TestService;
    before(async () => {
      service = await startTestService({ readEngine });
    });
    after(async () => service.close());

    it('keeps the newer trait when an older update is delivered after it, per trait', async () => {
      await service.post(WEBHOOK, { type: 'group', userId: 'lww', groupId: 'lww-acct', messageId: 'lww-g', timestamp: at(0), traits: { name: 'Initech' } });
      await service.post(WEBHOOK, { type: 'identify', userId: 'lww', messageId: 'lww-new', timestamp: at(10), traits: { title: 'CTO', phone: '+1 555 0199' } });
      // Older, delivered later: its title must lose, its plan (a trait nobody set later) must win.
      await service.post(WEBHOOK, { type: 'identify', userId: 'lww', messageId: 'lww-old', timestamp: at(5), traits: { title: 'Intern', plan: 'free' } });
      await service.post(WEBHOOK, { type: 'group', userId: 'lww', groupId: 'lww-acct', messageId: 'lww-g-new', timestamp: at(20), traits: { plan: 'enterprise', employees: 500 } });
      await service.post(WEBHOOK, { type: 'group', userId: 'lww', groupId: 'lww-acct', messageId: 'lww-g-old', timestamp: at(15), traits: { plan: 'startup', name: 'Initrode' } });
      await service.settled();

      const customer = await getJson(service, '/api/customers/lww-acct');
      expect(customer.segmentTraits).to.deep.equal({ name: 'Initrode', plan: 'enterprise', employees: 500 });
      expect(customer.name).to.equal('Initrode');
      const [person] = (await getJson(service, `/api/customers/${customer.id}/stakeholders`)).stakeholders;
      expect(person.traits).to.deep.equal({ title: 'CTO', phone: '+1 555 0199', plan: 'free' });
      expect(person.title).to.equal('CTO');
    });

    it('lets an audience exit delivered late lose against a newer entry', async () => {
      const personas = { personas: { computation_class: 'audience', computation_key: 'churn_risk', computation_id: 'aud_cr', space_id: 'spa_1' } };
      await service.post(WEBHOOK, [
        { type: 'group', userId: 'aud', groupId: 'aud-acct', messageId: 'aud-g', timestamp: at(0) },
        { type: 'track', userId: 'aud', event: 'Audience Entered', messageId: 'aud-in', timestamp: at(30), properties: { audience_key: 'churn_risk' }, context: personas },
      ]);
      await service.post(WEBHOOK, { type: 'track', userId: 'aud', event: 'Audience Exited', messageId: 'aud-out', timestamp: at(20), properties: { audience_key: 'churn_risk' }, context: personas });
      await service.settled();
      const customer = await getJson(service, '/api/customers/aud-acct');
      const [person] = (await getJson(service, `/api/customers/${customer.id}/stakeholders`)).stakeholders;
      expect(person.audiences.map((a: { key: string }) => a.key)).to.deep.equal(['churn_risk']);
    });
  });
}
