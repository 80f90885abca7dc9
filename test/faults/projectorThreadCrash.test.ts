import { expect } from 'chai';
import { track } from '../support/segmentCalls';
import { readEngines, startTestService, TestService, WEBHOOK } from '../support/testService';

const ACCOUNTS = 4;
const REQUESTS = 40;
const CALLS_PER_REQUEST = 10;

/** A track call of a user of `crash-acct-<account>` (the shared test call, with its unique messageId). */
const trackFor = (account: number, n: number) =>
  track({ userId: `user-${account}-${n % 3}`, context: { groupId: `crash-acct-${account}` } }) as { messageId: string };

for (const readEngine of readEngines()) {
  describe(`Faults: the projector thread dies under load (${readEngine})`, function () {
    this.timeout(60_000);
    let service: TestService;
    before(async () => {
      service = await startTestService({ readEngine });
    });
    after(async () => service.close());

    it('retries the lost batches on a new thread: every call listed and counted once', async () => {
      expect(service.services.projector, 'the service projects on its projector thread').to.not.equal(undefined);
      const sent = new Map<number, string[]>();
      let terminations = 0;
      for (let request = 0; request < REQUESTS; request++) {
        const accounts = Array.from({ length: CALLS_PER_REQUEST }, (_, i) => (request + i) % ACCOUNTS);
        const calls = accounts.map((account, i) => trackFor(account, request + i));
        const answer = await service.post(WEBHOOK, calls);
        expect(answer.status).to.equal(200);
        calls.forEach((call, i) => sent.set(accounts[i]!, [...(sent.get(accounts[i]!) ?? []), call.messageId]));
        // Kill the thread while the runner may be waiting for it: some batches die in flight, some after
        // their commit (the retry must then change nothing).
        if (request % 7 === 3) {
          const projector = service.services.projector!;
          for (let turn = 0; turn < 10_000 && projector.batchesInFlight === 0; turn++) await new Promise((resolve) => setImmediate(resolve));
          await projector.terminate();
          terminations++;
        }
      }
      await service.settled();

      expect(terminations).to.be.greaterThan(3);
      expect(service.services.projector!.lostBatches, 'batches died in flight and were retried').to.be.greaterThan(0);
      for (const [account, messageIds] of sent) {
        const body = (await (await service.get(`/api/segment/events/crash-acct-${account}?limit=500`)).json()) as {
          customer: { eventCount: number };
          events: { messageId: string }[];
        };
        const listed = body.events.map((e) => e.messageId);
        expect(new Set(listed).size, `crash-acct-${account}: no call listed twice`).to.equal(listed.length);
        expect([...listed].sort(), `crash-acct-${account}: every call listed`).to.deep.equal([...messageIds].sort());
        expect(body.customer.eventCount, `crash-acct-${account}: counted once each`).to.equal(messageIds.length);
      }
    });
  });
}
