import { expect } from 'chai';
import { SEGMENT_CALL_REJECTED } from '../../src/domain/events';
import { rejectedStream } from '../../src/domain/streams';
import { group, track } from '../support/segmentCalls';
import { readEngines, startTestService, TestService, WEBHOOK } from '../support/testService';

const DLQ = '/api/integrations/segment/dlq';

for (const readEngine of readEngines()) {
  describe(`Dead letters over HTTP (read models on ${readEngine})`, function () {
    let service: TestService;
    beforeEach(async () => {
      service = await startTestService({ readEngine });
    });
    afterEach(() => service.close());

    /** The rejected calls among the dead letters (this suite is about them). */
    const letters = async (query = '') =>
      ((await (await service.get(DLQ + query)).json()) as { deadLetters: { id: string; kind: string; status: string; messageId?: string }[] }).deadLetters.filter(
        (letter) => letter.kind === 'rejected-call',
      );

    it('lists a rejected call as open, shows it with its errors and payload, and a retry of a still-invalid call stays open', async () => {
      const bad = track({ messageId: 'bad-1', event: undefined });
      expect((await service.post(WEBHOOK, [group(), bad])).status).to.equal(200);
      await service.settled();
      const [listed] = await letters('?status=open');
      expect(listed).to.include({ messageId: 'bad-1', status: 'open' });

      const shown = (await (await service.get(`${DLQ}/${listed!.id}`)).json()) as Record<string, unknown>;
      expect(shown).to.include({ kind: 'rejected-call', status: 'open', messageId: 'bad-1' });
      expect((shown.errors as { path: string }[]).map((e) => e.path)).to.deep.equal(['event']);
      expect((shown.payload as { messageId: string }).messageId).to.equal('bad-1');

      const retried = await fetch(`${service.url}${DLQ}/${listed!.id}/retry`, { method: 'POST', headers: { authorization: `Bearer ${service.adminToken}` } });
      expect(retried.status).to.equal(422);
      expect(((await retried.json()) as { deadLetter: { retries: number; status: string } }).deadLetter).to.include({ retries: 1, status: 'open' });
    });

    it('ingests a call an earlier, stricter version rejected once it decodes, and only once', async () => {
      // What a decoder fix looks like from the store's side: a valid call filed as rejected by an older version.
      const call = track({ messageId: 'fixed-1', context: { groupId: 'account_456' } });
      const workspaceId = service.services.bootstrap.workspace._id;
      await service.post(WEBHOOK, group());
      await service.services.eventStore.appendToStreams([
        {
          streamName: rejectedStream(workspaceId),
          events: [
            {
              id: '3f1d7c56-6a43-5a8e-9d3c-1f6f7e0c9b11',
              type: SEGMENT_CALL_REJECTED,
              data: { index: 0, messageId: 'fixed-1', errors: [{ path: 'properties.plan', message: 'unknown plan' }], rawCall: JSON.stringify(call), receivedAt: new Date().toISOString(), correlationId: 'old', source: 'segment-webhook' },
              metadata: { workspaceId, correlationId: 'old' },
            },
          ],
        },
      ]);
      await service.settled();
      const [letter] = await letters();
      const retry = () => fetch(`${service.url}${DLQ}/${letter!.id}/retry`, { method: 'POST', headers: { authorization: `Bearer ${service.adminToken}` } });

      const first = await retry();
      expect(first.status).to.equal(200);
      expect(((await first.json()) as { outcome: string }).outcome).to.equal('resolved');
      expect((await retry()).status).to.equal(409);
      await service.settled();

      const listed = (await (await service.get('/api/segment/events/account_456?type=track')).json()) as { events: { messageId: string }[] };
      expect(listed.events.map((e) => e.messageId)).to.deep.equal(['fixed-1']);
      expect(await letters('?status=open')).to.have.length(0);
      expect(await letters('?status=resolved')).to.have.length(1);
    });

    it('answers 404 for a letter that does not exist or belongs to another workspace, and 400 for an unknown status', async () => {
      expect((await service.get(`${DLQ}/nope`)).status).to.equal(404);
      expect((await fetch(`${service.url}${DLQ}/nope/retry`, { method: 'POST', headers: { authorization: `Bearer ${service.adminToken}` } })).status).to.equal(404);
      const wrong = await service.get(`${DLQ}?status=closed`);
      expect(wrong.status).to.equal(400);
      expect(await wrong.json()).to.include({ path: 'status' });
    });
  });
}
