import { createTestEvent, createTestIntegration } from '@segment/actions-core';
import type { SegmentEvent } from '@segment/actions-core';
// Segment's own Webhooks (Actions) destination, as published. The package's index cannot be loaded (3.387.0 does
// not declare `xml-js`, which another destination requires), so the webhook destination's module is loaded alone.
import webhooks from '@segment/action-destinations/dist/destinations/webhook';
import { expect } from 'chai';
import { readEngines, startTestService, TestService, WEBHOOK } from '../support/testService';

/** Every event of an account's list, following the cursor. */
async function allEvents(service: TestService, account: string): Promise<{ messageId: string; type: string }[]> {
  await service.settled();
  const events: { messageId: string; type: string }[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const page = (await (await service.get(`/api/segment/events/${account}?limit=500&cursor=${cursor}`)).json()) as {
      events: { messageId: string; type: string }[];
      nextCursor: string | null;
    };
    events.push(...page.events);
    cursor = page.nextCursor;
  }
  return events;
}

const acmeUser = { userId: 'jane', anonymousId: 'anon-jane' };
const callsOfEveryType = (): SegmentEvent[] => [
  createTestEvent({ ...acmeUser, type: 'group', groupId: 'acme', traits: { name: 'Acme Corp' } }),
  createTestEvent({ ...acmeUser, type: 'identify', traits: { email: 'jane@acme.example' } }),
  createTestEvent({ ...acmeUser, type: 'track', event: 'Report Created' }),
  createTestEvent({ ...acmeUser, type: 'page', name: 'Dashboard' }),
  createTestEvent({ ...acmeUser, type: 'screen', name: 'Home' }),
  createTestEvent({ ...acmeUser, type: 'alias', previousId: 'anon-jane' }),
];

for (const readEngine of readEngines()) {
  describe(`Segment's Webhooks (Actions) destination delivering to our webhook (read models on ${readEngine})`, function () {
    let service: TestService;
    const segment = createTestIntegration(webhooks);
    /** The action's settings as a workspace owner would set them: our URL, POST, the whole event as data. */
    const mapping = () => ({ url: service.url + WEBHOOK, method: 'POST', data: { '@path': '$.' } });
    beforeEach(async () => {
      service = await startTestService({ readEngine });
    });
    afterEach(async () => service.close());

    it('signs single events with the shared secret; each is accepted and stored', async () => {
      const events = callsOfEveryType();
      for (const event of events) {
        const [response] = await segment.testAction('send', {
          event,
          mapping: mapping(),
          settings: { sharedSecret: service.sharedSecret },
          useDefaultMappings: true,
        });
        expect(response!.status, event.type).to.equal(200);
        expect(await response!.json()).to.deep.equal({ accepted: 1, duplicates: 0, rejected: [] });
      }
      const stored = await allEvents(service, 'acme');
      expect(stored.map((e) => e.messageId).sort()).to.deep.equal(events.map((e) => e.messageId).sort());
    });

    it('with batching on (a JSON array signed by its first element), stores all of a 300-event batch', async () => {
      const events = [
        ...callsOfEveryType(),
        ...Array.from({ length: 294 }, (_, i) => createTestEvent({ ...acmeUser, event: `Feature ${i % 7} Used` })),
      ];
      const [response] = await segment.testBatchAction('send', {
        events,
        mapping: { ...mapping(), batch_size: 1000 }, // Segment's default batch size; this batch is smaller
        settings: { sharedSecret: service.sharedSecret },
        useDefaultMappings: true,
      });
      expect(response!.status).to.equal(200);
      expect(await response!.json()).to.deep.equal({ accepted: 300, duplicates: 0, rejected: [] });
      const stored = await allEvents(service, 'acme');
      expect(stored).to.have.length(300);
      expect(new Set(stored.map((e) => e.messageId))).to.deep.equal(new Set(events.map((e) => e.messageId)));
    });

    it('a batch signed with another secret is refused whole (401) and stores nothing', async () => {
      const failure = await segment
        .testBatchAction('send', {
          events: callsOfEveryType(),
          mapping: mapping(),
          settings: { sharedSecret: 'not-our-secret' },
          useDefaultMappings: true,
        })
        .then(
          (responses) => responses.map((r) => r.status),
          (error: { response?: { status: number } }) => error.response?.status,
        );
      expect(failure).to.equal(401);
      await service.settled();
      expect((await service.get('/api/segment/events/acme')).status).to.equal(404);
    });
  });
}
