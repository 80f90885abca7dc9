import { expect } from 'chai';
import { group, identify, page, track } from '../support/segmentCalls';
import { readEngines, startTestService, TestService } from '../support/testService';

interface Listed {
  events: { messageId: string; type: string; call: Record<string, unknown> }[];
}
const withoutType = ({ type: _type, ...rest }: Record<string, unknown>) => rest;

for (const readEngine of readEngines()) {
  describe(`Segment HTTP Tracking API /v1/* (read models on ${readEngine})`, function () {
    let service: TestService;
    beforeEach(async () => {
      service = await startTestService({ readEngine });
    });
    afterEach(async () => service.close());

    const listed = async (customer = 'account_456') => {
      await service.settled();
      return (await (await service.get(`/api/segment/events/${customer}`)).json()) as Listed;
    };

    it('takes each call type on its own path, typed by the path, and answers {"success": true} with the summary', async () => {
      const calls = [
        ['group', group()],
        ['identify', withoutType(identify())],
        ['track', withoutType(track({ context: { groupId: 'account_456' } }))],
        ['page', page({ context: { groupId: 'account_456' } })],
        ['screen', { userId: 'user_123', name: 'Home', messageId: 'screen-1', context: { groupId: 'account_456' } }],
      ] as const;
      for (const [type, call] of calls) {
        const response = await service.post(`/v1/${type}`, call);
        expect(response.status, type).to.equal(200);
        expect(await response.json()).to.deep.equal({ success: true, accepted: 1, duplicates: 0, rejected: [] });
      }
      const alias = await service.post('/v1/alias', { userId: 'user_123', previousId: 'anon-9', messageId: 'alias-1' });
      expect(alias.status).to.equal(200);

      const body = await listed();
      // The alias is user_123's, who is known to be in account_456.
      expect(body.events.map((e) => e.type).sort()).to.deep.equal(['alias', 'group', 'identify', 'page', 'screen', 'track']);
      expect(body.events.map((e) => e.messageId)).to.include.members(['screen-1', (calls[2][1] as { messageId: string }).messageId]);
    });

    it('refuses a body whose type contradicts the path, naming the field, and stores nothing', async () => {
      const response = await service.post('/v1/track', identify());
      expect(response.status).to.equal(400);
      expect(await response.json()).to.include({ error: 'type_mismatch', path: 'type' });
      const batchOnSinglePath = await service.post('/v1/track', { batch: [track()] });
      expect(batchOnSinglePath.status).to.equal(400);
      expect(await batchOnSinglePath.json()).to.include({ path: '(body)' });
      await service.post('/v1/group', group());
      expect((await listed()).events.map((e) => e.type)).to.deep.equal(['group']);
    });

    it('takes the write key as the HTTP Basic user or as writeKey in the body, which is not stored', async () => {
      const anonymous = { authorization: '' };
      const inBody = track({ writeKey: service.writeKey, context: { groupId: 'account_456' } });
      expect((await service.post('/v1/track', inBody, anonymous)).status).to.equal(200);
      const wrong = await service.post('/v1/track', track({ writeKey: 'wk_wrong' }), anonymous);
      expect(wrong.status).to.equal(401);
      expect((await service.post('/v1/track', track(), anonymous)).status).to.equal(401);
      const otherKey = 'Basic ' + Buffer.from('wk_wrong:').toString('base64');
      expect((await service.post('/v1/batch', { batch: [track()] }, { authorization: otherKey })).status).to.equal(401);

      const [stored] = (await listed()).events;
      expect(stored!.messageId).to.equal(inBody.messageId);
      expect(stored!.call).to.not.have.property('writeKey');
    });

    it('stores a /v1/batch with the shared context, the write key in the envelope as analytics-node sends it', async () => {
      const calls = [group(), identify(), track(), page()].map((call) => ({ ...call, context: undefined }));
      const response = await service.post(
        '/v1/batch',
        { batch: calls, context: { groupId: 'account_456', library: { name: 'analytics-node' } }, writeKey: service.writeKey, sentAt: new Date() },
        { authorization: '' },
      );
      expect(response.status).to.equal(200);
      expect(await response.json()).to.deep.equal({ success: true, accepted: 4, duplicates: 0, rejected: [] });
      const body = await listed();
      expect(body.events.map((e) => e.messageId).sort()).to.deep.equal(calls.map((c) => c.messageId).sort());
      expect(body.events.every((e) => (e.call.context as { library?: { name: string } }).library?.name === 'analytics-node')).to.equal(true);
    });

    it("holds Segment's limits: 32 KB per call, 500 KB and 2,500 calls per batch, each over-limit body a 400", async () => {
      const padding = (bytes: number) => ({ blob: 'x'.repeat(bytes) });
      const bigCall = await service.post('/v1/track', track({ properties: padding(33 * 1024) }));
      expect(bigCall.status).to.equal(400);
      expect(await bigCall.json()).to.include({ error: 'payload_too_large', limitBytes: 32 * 1024 });

      const bigBatch = await service.post('/v1/batch', { batch: Array.from({ length: 20 }, () => track({ properties: padding(26 * 1024) })) });
      expect(bigBatch.status).to.equal(400);
      expect(await bigBatch.json()).to.include({ error: 'payload_too_large', limitBytes: 500 * 1024 });

      const small = () => ({ type: 'track', userId: 'u', event: 'E', context: { groupId: 'account_456' } });
      const tooMany = await service.post('/v1/batch', { batch: Array.from({ length: 2501 }, small) });
      expect(tooMany.status).to.equal(400);
      expect(await tooMany.json()).to.include({ error: 'batch_too_large' });

      // Inside a batch an oversized call is rejected alone; its siblings are stored.
      const mixed = await service.post('/v1/batch', { batch: [group(), track({ properties: padding(33 * 1024) })] });
      expect(mixed.status).to.equal(200);
      const summary = (await mixed.json()) as { accepted: number; rejected: { index: number }[] };
      expect([summary.accepted, summary.rejected.map((r) => r.index)]).to.deep.equal([1, [1]]);
      expect((await listed()).events.map((e) => e.type)).to.deep.equal(['group']);
    });

    it('accepts a batch of exactly 2,500 calls', async () => {
      const calls = Array.from({ length: 2500 }, (_, i) => ({ type: 'track', userId: 'u', event: 'E', messageId: `m-${i}` }));
      const response = await service.post('/v1/batch', { batch: calls });
      expect(response.status).to.equal(200);
      expect(await response.json()).to.include({ success: true, accepted: 2500 });
    });

    it('tells a setup screen whether a write key is valid', async () => {
      const basic = (key: string) => ({ authorization: 'Basic ' + Buffer.from(`${key}:`).toString('base64') });
      const valid = await fetch(`${service.url}/api/integrations/segment/auth`, { headers: basic(service.writeKey) });
      expect(valid.status).to.equal(200);
      expect(await valid.json()).to.include({ success: true });
      const invalid = await fetch(`${service.url}/api/integrations/segment/auth`, { headers: basic('wk_nope') });
      expect(invalid.status).to.equal(401);
    });
  });
}
