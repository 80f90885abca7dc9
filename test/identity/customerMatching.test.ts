import { expect } from 'chai';
import { readEngines, startTestService, TestService, WEBHOOK } from '../support/testService';
import { getJson, send } from './api';

const at = (minute: number) => new Date(Date.parse('2026-10-20T09:00:00.000Z') + minute * 60_000).toISOString();
const ids = (body: { events: { messageId: string }[] }) => body.events.map((e) => e.messageId);

for (const readEngine of readEngines()) {
  describe(`Customers and matching (read models on ${readEngine})`, function () {
    let service: TestService;
    beforeEach(async () => {
      service = await startTestService({ readEngine });
      const changed = await send(service, 'PATCH', '/api/workspace/settings', { autoCreateCustomers: false });
      expect(changed.status).to.equal(200);
      expect(await changed.json()).to.deep.equal({ autoCreateCustomers: false, matchEmailDomains: true, matchFreeMailDomains: false });
    });
    afterEach(async () => service.close());

    it('keeps calls of an unknown group unresolved with the reason, and hands them over when a customer is registered with it', async () => {
      await service.post(WEBHOOK, [
        { type: 'group', userId: 'amy', groupId: 'globex-1', messageId: 'gx-1', timestamp: at(1), traits: { name: 'Globex' } },
        { type: 'track', userId: 'amy', event: 'Feature Used', messageId: 'gx-2', timestamp: at(2), context: { groupId: 'globex-1' } },
        { type: 'track', userId: 'amy', event: 'Report Exported', messageId: 'gx-3', timestamp: at(3) },
      ]);
      await service.settled();
      expect((await getJson(service, '/api/customers?groupId=globex-1')).customers).to.deep.equal([]);
      const waiting = (await getJson(service, '/api/integrations/segment/unresolved')).unresolved;
      const byKind = Object.fromEntries(waiting.map((u: { waitingFor: { kind: string }; reason: string; calls: { messageId: string }[] }) => [u.waitingFor.kind, u]));
      expect(byKind.group.reason).to.match(/globex-1 is not linked/);
      expect(byKind.group.calls.map((c: { messageId: string }) => c.messageId)).to.deep.equal(['gx-1', 'gx-2']);
      expect(byKind.identity.reason).to.match(/no account known/);
      expect(byKind.identity.calls.map((c: { messageId: string }) => c.messageId)).to.deep.equal(['gx-3']);

      const created = await send(service, 'POST', '/api/customers', { name: 'Globex Corporation', groupIds: ['globex-1'], domains: ['https://www.Globex.com/'], externalIds: { salesforce: '001xx' } });
      expect(created.status).to.equal(201);
      const { id } = (await created.json()) as { id: string };
      await service.settled();

      expect(ids(await getJson(service, `/api/segment/events/${id}`))).to.deep.equal(['gx-3', 'gx-2', 'gx-1']);
      expect((await getJson(service, '/api/integrations/segment/unresolved')).unresolved).to.deep.equal([]);
      const view = await getJson(service, `/api/customers/${id}`);
      expect(view).to.include({ name: 'Globex Corporation', source: 'registered', eventCount: 3, stakeholderCount: 1 });
      expect(view.domains).to.deep.equal(['globex.com']);
      expect(view.externalIds).to.deep.equal({ salesforce: '001xx' });
      expect((await getJson(service, '/api/customers?domain=eu.globex.com')).customers.map((c: { id: string }) => c.id)).to.deep.equal([id]);
      expect((await getJson(service, '/api/customers?q=glob')).customers.map((c: { id: string }) => c.id)).to.deep.equal([id]);
      expect((await getJson(service, '/api/customers?q=nothing-like-it')).customers).to.deep.equal([]);
    });

    it('matches groups by their website and users by their email domain, but not free-mail unless switched on', async () => {
      const created = await send(service, 'POST', '/api/customers', { name: 'Hooli', domains: ['hooli.com', 'gmail.com'] });
      const { id } = (await created.json()) as { id: string };
      await service.post(WEBHOOK, [
        { type: 'group', userId: 'gav', groupId: 'hooli-eu', messageId: 'h-1', timestamp: at(1), traits: { website: 'https://eu.hooli.com' } },
        { type: 'identify', userId: 'dinesh', messageId: 'h-2', timestamp: at(2), traits: { email: 'dinesh@hooli.com' } },
        { type: 'track', userId: 'dinesh', event: 'Feature Used', messageId: 'h-3', timestamp: at(3) },
        { type: 'identify', userId: 'erlich', messageId: 'h-4', timestamp: at(4), traits: { email: 'erlich@gmail.com' } },
      ]);
      await service.settled();
      expect(ids(await getJson(service, `/api/segment/events/${id}`))).to.deep.equal(['h-3', 'h-2', 'h-1']);
      expect((await getJson(service, '/api/customers?groupId=hooli-eu')).customers.map((c: { id: string }) => c.id)).to.deep.equal([id]);
      const stillWaiting = (await getJson(service, '/api/integrations/segment/unresolved')).unresolved;
      expect(stillWaiting.flatMap((u: { calls: { messageId: string }[] }) => u.calls.map((c) => c.messageId))).to.deep.equal(['h-4']);

      expect((await send(service, 'PATCH', '/api/workspace/settings', { matchFreeMailDomains: true })).status).to.equal(200);
      await service.post(WEBHOOK, { type: 'identify', userId: 'erlich', messageId: 'h-5', timestamp: at(5), traits: { email: 'erlich@gmail.com' } });
      await service.settled();
      expect(ids(await getJson(service, `/api/segment/events/${id}`))).to.deep.equal(['h-5', 'h-4', 'h-3', 'h-2', 'h-1']);
    });

    it('links a group to an existing customer, and refuses what another customer holds', async () => {
      const first = (await (await send(service, 'POST', '/api/customers', { id: 'pied-piper', name: 'Pied Piper', groupIds: ['pp-1'], domains: ['piedpiper.com'] })).json()) as { id: string };
      expect(first.id).to.equal('pied-piper');
      await service.settled();
      await service.post(WEBHOOK, { type: 'group', userId: 'richard', groupId: 'pp-2', messageId: 'pp-a', timestamp: at(1) });
      await service.settled();
      expect((await send(service, 'POST', '/api/customers/pied-piper/groups', { groupId: 'pp-2' })).status).to.equal(202);
      await service.settled();
      expect(ids(await getJson(service, '/api/segment/events/pied-piper'))).to.deep.equal(['pp-a']);
      expect((await getJson(service, '/api/customers/pp-2')).groupIds).to.deep.equal(['pp-1', 'pp-2']);

      const taken = await send(service, 'POST', '/api/customers', { name: 'Nucleus', groupIds: ['pp-1'] });
      expect(taken.status).to.equal(409);
      expect(await taken.json()).to.include({ error: 'customer_conflict', path: 'groupIds.0', customerId: 'pied-piper' });
      expect((await send(service, 'POST', '/api/customers', { name: 'Nucleus', domains: ['www.piedpiper.com'] })).status).to.equal(409);
      expect((await send(service, 'POST', '/api/customers', { id: 'pied-piper', name: 'Again' })).status).to.equal(409);
      expect((await send(service, 'POST', '/api/customers/nobody/groups', { groupId: 'x' })).status).to.equal(404);
    });

    it('answers invalid input with 400 naming the field', async () => {
      const cases: [unknown, string][] = [
        [{}, 'name'],
        [{ name: 'X', domains: ['not a domain'] }, 'domains.0'],
        [{ name: 'X', groupIds: [''] }, 'groupIds.0'],
        [{ name: 'X', id: 'grp_reserved' }, 'id'],
        [{ name: 'X', externalIds: { crm: 5 } }, 'externalIds.crm'],
      ];
      for (const [body, path] of cases) {
        const response = await send(service, 'POST', '/api/customers', body);
        expect(response.status, JSON.stringify(body)).to.equal(400);
        expect(((await response.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).to.include(path);
      }
      const settings = await send(service, 'PATCH', '/api/workspace/settings', { autoCreateCustomers: 'no' });
      expect(settings.status).to.equal(400);
      expect((await service.get('/api/customers?domain=%20')).status).to.equal(400);
      expect((await service.get('/api/customers?domain=nope')).status).to.equal(400);
      expect((await service.get('/api/customers/unknown')).status).to.equal(404);
      expect((await service.get('/api/customers', 'wrong-token')).status).to.equal(401);
    });
  });
}
