import { expect } from 'chai';
import { group, identify, track } from '../support/segmentCalls';
import { readEngines, startTestService, TestService, WEBHOOK } from '../support/testService';

for (const readEngine of readEngines()) {
  describe(`Segment webhook into the customer event list (read models on ${readEngine})`, function () {
    let service: TestService;
    beforeEach(async () => {
      service = await startTestService({ readEngine });
    });
    afterEach(async () => service.close());

    it("lists the product requirements' track, identify and group calls under account_456", async () => {
      const calls = [track(), identify(), group()];
      for (const call of calls) {
        const response = await service.post(WEBHOOK, call);
        expect(response.status).to.equal(200);
        expect(await response.json()).to.deep.equal({ accepted: 1, duplicates: 0, rejected: [] });
      }
      await service.settled();

      const response = await service.get('/api/segment/events/account_456');
      expect(response.status).to.equal(200);
      const body = (await response.json()) as { customer: { name: string }; events: { messageId: string; type: string }[] };
      expect(body.customer.name).to.equal('Acme Corp');
      expect(body.events.map((e) => e.messageId)).to.deep.equal(calls.map((c) => c.messageId).reverse());
      expect(body.events.map((e) => e.type)).to.deep.equal(['group', 'identify', 'track']);
    });

    it('finds the customer of a Segment group and lists by CSCX customer id too', async () => {
      await service.post(WEBHOOK, [group(), track({ context: { groupId: 'account_456' } })]);
      await service.settled();
      const found = (await (await service.get('/api/customers?groupId=account_456')).json()) as { customers: { id: string }[] };
      expect(found.customers).to.have.length(1);
      const byId = (await (await service.get(`/api/segment/events/${found.customers[0]!.id}`)).json()) as { events: unknown[] };
      expect(byId.events).to.have.length(2);
      const none = (await (await service.get('/api/customers?groupId=nobody')).json()) as { customers: unknown[] };
      expect(none.customers).to.deep.equal([]);
    });

    it('stores a messageId delivered three times once, and counts the others as duplicates', async () => {
      const call = track();
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await (await service.post(WEBHOOK, call)).json());
      expect(answers).to.deep.equal([
        { accepted: 1, duplicates: 0, rejected: [] },
        { accepted: 0, duplicates: 1, rejected: [] },
        { accepted: 0, duplicates: 1, rejected: [] },
      ]);
      // The same message inside one batch, and again with a different payload (a retried batch may differ).
      const again = await service.post(WEBHOOK, [call, { ...call, properties: { changed: true } }, group()]);
      expect(await again.json()).to.deep.equal({ accepted: 1, duplicates: 2, rejected: [] });
      await service.settled();
      const body = (await (await service.get('/api/segment/events/account_456')).json()) as { events: { messageId: string }[] };
      expect(body.events.filter((e) => e.messageId === call.messageId)).to.have.length(1);
    });

    it('keeps the valid calls of a batch, answers the invalid ones by index and field, and dead-letters them', async () => {
      const good = [group(), track({ context: { groupId: 'account_456' } })];
      const batch = [good[0], { type: 'track', userId: 'u1', messageId: 'bad-1' }, good[1], { type: 'identify', messageId: 'bad-2' }];
      const response = await service.post(WEBHOOK, batch);
      expect(response.status).to.equal(200);
      const summary = (await response.json()) as { accepted: number; rejected: { index: number; messageId: string; errors: { path: string }[] }[] };
      expect(summary.accepted).to.equal(2);
      expect(summary.rejected.map((r) => [r.index, r.messageId, r.errors[0]!.path])).to.deep.equal([
        [1, 'bad-1', 'event'],
        [3, 'bad-2', 'userId'],
      ]);
      await service.settled();
      const letters = (await (await service.get('/api/integrations/segment/dlq')).json()) as {
        deadLetters: { kind: string; messageId: string; errors: { path: string }[]; payload: unknown }[];
      };
      expect(letters.deadLetters.map((l) => l.messageId).sort()).to.deep.equal(['bad-1', 'bad-2']);
      expect(letters.deadLetters.every((l) => l.kind === 'rejected-call')).to.equal(true);
      expect(letters.deadLetters.find((l) => l.messageId === 'bad-1')!.payload).to.deep.equal(batch[1]);
      const listed = (await (await service.get('/api/segment/events/account_456')).json()) as { events: unknown[] };
      expect(listed.events).to.have.length(2);
    });

    it('takes the HTTP API batch form {batch, context} and applies the shared context', async () => {
      const response = await service.post(WEBHOOK, { batch: [track(), group()], context: { groupId: 'account_456' } });
      expect(await response.json()).to.deep.equal({ accepted: 2, duplicates: 0, rejected: [] });
      await service.settled();
      const listed = (await (await service.get('/api/segment/events/account_456')).json()) as {
        events: { status: { attribution: string } }[];
      };
      expect(listed.events.map((e) => e.status.attribution)).to.deep.equal(['explicit-group', 'explicit-group']);
    });

    it('pages newest first with a cursor and filters by type', async () => {
      const calls = [group(), ...Array.from({ length: 5 }, () => track()), identify()];
      await service.post(WEBHOOK, calls);
      await service.settled();
      const seen: string[] = [];
      let cursor = '';
      for (let pages = 0; pages < 10; pages++) {
        const body = (await (await service.get(`/api/segment/events/account_456?limit=3&cursor=${cursor}`)).json()) as {
          events: { messageId: string }[];
          nextCursor: string | null;
        };
        seen.push(...body.events.map((e) => e.messageId));
        if (!body.nextCursor) break;
        cursor = body.nextCursor;
      }
      expect(seen).to.deep.equal(calls.map((c) => c.messageId).reverse());
      const tracks = (await (await service.get('/api/segment/events/account_456?type=track')).json()) as { events: unknown[] };
      expect(tracks.events).to.have.length(5);
      expect((await service.get('/api/segment/events/account_456?type=nonsense')).status).to.equal(400);
      expect((await service.get('/api/segment/events/account_456?limit=0')).status).to.equal(400);
      expect((await service.get('/api/segment/events/account_456?cursor=garbage')).status).to.equal(400);
      expect((await service.get('/api/segment/events/no_such_account')).status).to.equal(404);
    });

    it('gives a call without timestamp the time it was received', async () => {
      const before = new Date().toISOString();
      const call = { type: 'group', userId: 'u9', groupId: 'account_789', messageId: 'no-ts' };
      expect((await service.post(WEBHOOK, call)).status).to.equal(200);
      await service.settled();
      const body = (await (await service.get('/api/segment/events/account_789')).json()) as { events: { timestamp: string }[] };
      expect(body.events[0]!.timestamp >= before).to.equal(true);
      expect(body.events[0]!.timestamp <= new Date().toISOString()).to.equal(true);
    });
  });
}
