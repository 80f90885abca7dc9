import { expect } from 'chai';
import { track } from '../support/segmentCalls';
import { readEngines, startTestService, TestService } from '../support/testService';
import { productStory, send } from './signalsHelpers';

/** Reads Server-Sent Events from a fetch body until `until` says enough; returns the parsed events. */
async function readEvents(response: Response, until: (events: { event: string; id?: string; data: unknown }[]) => boolean) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: { event: string; id?: string; data: unknown }[] = [];
  let text = '';
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const fields = Object.fromEntries(block.split('\n').filter((l) => l && !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
      if (fields.data !== undefined) events.push({ event: fields.event ?? 'message', id: fields.id, data: JSON.parse(fields.data) });
    }
  }
  await reader.cancel();
  return events;
}

for (const readEngine of readEngines()) {
  describe(`Alerts pushed as they are raised (read models on ${readEngine})`, function () {
    let service: TestService;
    afterEach(async () => service.close());

    it('delivers the alert a webhook call raises to an SSE client signed in with ?token=', async () => {
      service = await startTestService({ readEngine });
      await send(service, productStory().slice(0, 3));
      await service.settled();
      const stream = await fetch(`${service.url}/api/alerts/stream?token=${service.adminToken}`);
      expect(stream.status).to.equal(200);
      expect(stream.headers.get('content-type')).to.match(/^text\/event-stream/);

      const arrived = readEvents(stream, (events) => events.some((e) => e.event === 'alert'));
      const ticket = track({ event: 'Support Ticket Opened', properties: { priority: 'high' }, context: { groupId: 'account_456' } });
      await send(service, [ticket]);
      const alerts = (await arrived).filter((e) => e.event === 'alert');
      expect(alerts[0]!.data).to.deep.include({ kind: 'risk-signal', severity: 'warning' });
      expect((alerts[0]!.data as { customerId: string }).customerId).to.match(/^grp_/);

      // A reconnecting client gets what it missed after its Last-Event-ID.
      await send(service, [track({ event: 'Support Ticket Opened', properties: {}, context: { groupId: 'account_456' } })]);
      await service.settled();
      const again = await fetch(`${service.url}/api/alerts/stream`, {
        headers: { authorization: `Bearer ${service.adminToken}`, 'last-event-id': alerts[0]!.id! },
      });
      const missed = (await readEvents(again, (events) => events.some((e) => e.event === 'alert'))).filter((e) => e.event === 'alert');
      expect(missed[0]!.id! > alerts[0]!.id!).to.equal(true);
    });

    it('refuses a stream without a valid token', async () => {
      service = await startTestService({ readEngine });
      expect((await fetch(`${service.url}/api/alerts/stream?token=nope`)).status).to.equal(401);
      expect((await fetch(`${service.url}/api/alerts/stream`)).status).to.equal(401);
    });
  });
}
