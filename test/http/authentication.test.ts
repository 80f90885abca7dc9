import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { group, track } from '../support/segmentCalls';
import { startTestService, TestService, WEBHOOK } from '../support/testService';

const sign = (secret: string, payload: string) => createHmac('sha1', secret).update(payload).digest('hex');
const basic = (user: string, password = '') => 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

describe('Segment webhook: who may send', function () {
  let service: TestService;
  before(async () => {
    service = await startTestService();
  });
  after(async () => service.close());

  const send = (body: string, headers: Record<string, string>) =>
    fetch(service.url + WEBHOOK, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('takes the write key as HTTP Basic user name (empty password) or as a Bearer token', async () => {
    expect((await send(JSON.stringify(track()), { authorization: basic(service.writeKey) })).status).to.equal(200);
    expect((await send(JSON.stringify(track()), { authorization: `Bearer ${service.writeKey}` })).status).to.equal(200);
  });

  it('answers 401 without details to no, wrong or almost-right credentials', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: basic('wk_wrong') },
      { authorization: basic(service.writeKey.slice(0, -1)) },
      { authorization: `Bearer ${service.adminToken}` },
      { authorization: 'Basic %%%' },
      { 'x-signature': 'deadbeef' },
    ];
    for (const headers of attempts) {
      const response = await send(JSON.stringify(track()), headers);
      expect(response.status, JSON.stringify(headers)).to.equal(401);
      expect(await response.json()).to.deep.equal({ error: 'unauthorized', message: 'authentication failed' });
    }
  });

  it('takes an X-Signature of the raw body made with the shared secret', async () => {
    const body = JSON.stringify(track());
    expect((await send(body, { 'x-signature': sign(service.sharedSecret, body) })).status).to.equal(200);
    expect((await send(body, { 'x-signature': sign('other-secret', body) })).status).to.equal(401);
    // The signature covers the exact bytes: the same call re-serialised differently is not what was signed.
    const reformatted = JSON.stringify(JSON.parse(body), null, 2);
    expect((await send(reformatted, { 'x-signature': sign(service.sharedSecret, body) })).status).to.equal(401);
  });

  it("takes Segment's batching signature: JSON.stringify of the first element only", async () => {
    const calls = [track(), group(), track()];
    const body = JSON.stringify(calls);
    const segmentStyle = sign(service.sharedSecret, JSON.stringify(calls[0]));
    const response = await send(body, { 'x-signature': segmentStyle });
    expect(response.status).to.equal(200);
    expect(((await response.json()) as { accepted: number }).accepted).to.equal(3);
    expect((await send(body, { 'x-signature': sign(service.sharedSecret, body) })).status).to.equal(200);
  });

  it('takes the write key in the body, and never stores it with the call', async () => {
    const body = JSON.stringify({ writeKey: service.writeKey, batch: [track()] });
    expect((await send(body, {})).status).to.equal(200);
    const single = group({ groupId: 'key_in_body', writeKey: service.writeKey });
    expect((await send(JSON.stringify(single), {})).status).to.equal(200);
    await service.settled();
    const listed = await (await service.get('/api/segment/events/key_in_body')).text();
    expect(listed).to.contain('key_in_body').and.not.to.contain(service.writeKey);
    const wrong = JSON.stringify({ writeKey: 'nope', batch: [track()] });
    expect((await send(wrong, {})).status).to.equal(401);
  });

  it('guards the read APIs with the admin token', async () => {
    expect((await service.get('/api/customers', 'wrong')).status).to.equal(401);
    expect((await fetch(service.url + '/api/customers')).status).to.equal(401);
    expect((await service.get('/api/customers', service.writeKey)).status).to.equal(401);
    expect((await service.get('/api/customers')).status).to.equal(200);
  });
});

describe('Workspaces are isolated', function () {
  let service: TestService;
  before(async () => {
    service = await startTestService();
  });
  after(async () => service.close());

  it("one workspace's credentials never read or write another's data", async () => {
    const other = await service.services.workspaces.create({ id: 'globex', name: 'Globex' });
    const otherKey = other.writeKeys[0]!.key;
    const post = (key: string, call: unknown) =>
      fetch(service.url + WEBHOOK, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic(key) },
        body: JSON.stringify(call),
      });
    // Both workspaces send a group call for the same Segment group id.
    expect((await post(service.writeKey, group({ traits: { name: 'Acme (default)' } }))).status).to.equal(200);
    expect((await post(otherKey, group({ traits: { name: 'Acme (globex)' } }))).status).to.equal(200);
    // The same messageId in two workspaces is two different messages.
    const shared = track({ messageId: 'same-id-in-both', context: { groupId: 'account_456' } });
    expect(await (await post(service.writeKey, shared)).json()).to.include({ accepted: 1 });
    expect(await (await post(otherKey, shared)).json()).to.include({ accepted: 1 });
    await service.settled();

    const asDefault = (await (await service.get('/api/segment/events/account_456')).json()) as {
      customer: { name: string };
      events: unknown[];
    };
    const asOther = (await (await service.get('/api/segment/events/account_456', other.adminToken)).json()) as {
      customer: { name: string };
      events: unknown[];
    };
    expect(asDefault.customer.name).to.equal('Acme (default)');
    expect(asOther.customer.name).to.equal('Acme (globex)');
    expect(asDefault.events).to.have.length(2);
    expect(asOther.events).to.have.length(2);

    // Globex's signature does not sign for the default workspace, and vice versa.
    const body = JSON.stringify(group({ groupId: 'signed_group' }));
    const signed = await fetch(service.url + WEBHOOK + '/globex', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': sign(other.sharedSecret, body) },
      body,
    });
    expect(signed.status).to.equal(200);
    await service.settled();
    expect((await service.get('/api/segment/events/signed_group')).status).to.equal(404);
    expect((await service.get('/api/segment/events/signed_group', other.adminToken)).status).to.equal(200);
    const wrongWorkspace = await fetch(service.url + WEBHOOK + '/default', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': sign(other.sharedSecret, body) },
      body,
    });
    expect(wrongWorkspace.status).to.equal(401);
  });
});
