import { expect } from 'chai';
import fc from 'fast-check';
import { readEngines, startTestService, TestService, WEBHOOK } from '../support/testService';
import { getJson } from './api';
import { story, Story } from './story';

/**
 * What a CSM sees after the story: the customer view, its stakeholders, its events in order, the unresolved
 * list. Ids derived from the run's names (customer and person ids are hashes of them) are left out, and the
 * run's suffix is replaced, so runs with different names compare. How a call was attributed (at arrival or
 * later) depends on arrival order by nature and is left out too; who it was attributed to is not.
 */
async function readModels(service: TestService, s: Story) {
  const customer = await getJson(service, `/api/customers/${s.groupId}`);
  const { stakeholders } = await getJson(service, `/api/customers/${customer.id}/stakeholders`);
  const { events } = await getJson(service, `/api/segment/events/${customer.id}?limit=100`);
  const unresolved = (await getJson(service, '/api/integrations/segment/unresolved')).unresolved.filter(
    (u: { calls: { messageId: string }[] }) => u.calls.some((c) => c.messageId.startsWith(`${s.suffix}-`)),
  );
  const { id: _customerId, ...customerView } = customer;
  const view = {
    customer: customerView,
    stakeholders: stakeholders.map(({ id: _id, ...rest }: { id: string }) => rest),
    // receivedAt is when the call arrived: the one thing a different delivery order must change.
    events: events.map((e: { messageId: string; type: string; timestamp: string; call: { receivedAt?: string } }) => {
      const { receivedAt: _receivedAt, ...call } = e.call;
      return [e.messageId, e.type, e.timestamp, call];
    }),
    unresolved,
  };
  return JSON.parse(JSON.stringify(view).split(s.suffix).join('SUFFIX')) as unknown;
}

/** Delivers calls in the given order, in requests of the given sizes (a batch is handled in one go). */
async function deliver(service: TestService, calls: readonly unknown[], order: readonly number[], chunk: number) {
  for (let i = 0; i < order.length; i += chunk) {
    const response = await service.post(WEBHOOK, order.slice(i, i + chunk).map((k) => calls[k]));
    expect(response.status).to.equal(200);
  }
}

for (const readEngine of readEngines()) {
  describe(`Identity resolution: the story in any order (read models on ${readEngine})`, function () {
    let service: TestService;
    before(async () => {
      service = await startTestService({ readEngine });
    });
    after(async () => service.close());

    it('ends in the same read models whatever the delivery order and batching (property)', async () => {
      const inOrder = story('base');
      await deliver(service, inOrder.calls, inOrder.calls.map((_, i) => i), 1);
      await service.settled();
      const expected = await readModels(service, inOrder);
      expect((expected as { unresolved: unknown[] }).unresolved).to.deep.equal([]);

      let run = 0;
      const indices = inOrder.calls.map((_, i) => i);
      await fc.assert(
        fc.asyncProperty(
          fc.shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length }),
          fc.integer({ min: 1, max: 4 }),
          async (order, chunk) => {
            const shuffled = story(`r${++run}`);
            await deliver(service, shuffled.calls, order, chunk);
            await service.settled();
            expect(await readModels(service, shuffled)).to.deep.equal(expected);
          },
        ),
        { numRuns: 12 },
      );
    });
  });
}
