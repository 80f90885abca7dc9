import { expect } from 'chai';
import { SEGMENT_EVENTS, SegmentEventDoc } from '../../src/projections/attribution/documents';
import { readEngines, startTestService, TestService, WEBHOOK } from '../support/testService';
import { getJson } from './api';

for (const readEngine of readEngines()) {
  describe(`Event list rows keep the call only while it waits for a customer (read models on ${readEngine})`, function () {
    let service: TestService;
    before(async () => {
      service = await startTestService({ readEngine });
    });
    after(async () => service.close());

    const rowOf = async (messageId: string) => {
      const rows = await (await service.services.readStore.collection<SegmentEventDoc>(SEGMENT_EVENTS)).find({ messageId });
      expect(rows, messageId).to.have.length(1);
      return rows[0]!;
    };

    it('drops the copy once attributed, and the list still shows every call, opened', async () => {
      const at = (minute: number) => new Date(Date.parse('2026-10-01T10:00:00.000Z') + minute * 60_000).toISOString();
      const calls = [
        { type: 'track', messageId: 'rows-1', anonymousId: 'anon-rows', event: 'Report Viewed', properties: { report: 'weekly' }, timestamp: at(0) },
        { type: 'identify', messageId: 'rows-2', anonymousId: 'anon-rows', userId: 'user-rows', traits: { email: 'ruth.rows@rows.example' }, timestamp: at(1) },
        { type: 'group', messageId: 'rows-3', userId: 'user-rows', groupId: 'acct-rows', traits: { name: 'Rows Inc' }, timestamp: at(2) },
        { type: 'track', messageId: 'rows-4', userId: 'user-rows', event: 'Export Run', properties: { format: 'csv' }, timestamp: at(3), context: { groupId: 'acct-rows' } },
      ];
      expect((await service.post(WEBHOOK, calls[0])).status).to.equal(200);
      await service.settled();
      const waiting = await rowOf('rows-1');
      expect(waiting.customerId).to.equal(null);
      expect(JSON.parse(waiting.payload!)).to.include({ messageId: 'rows-1', event: 'Report Viewed' });

      for (const call of calls.slice(1)) expect((await service.post(WEBHOOK, call)).status).to.equal(200);
      await service.settled();
      for (const { messageId } of calls) {
        const row = await rowOf(messageId);
        expect(row.customerId, messageId).to.be.a('string');
        expect(row, messageId).not.to.have.property('payload');
        expect(row.revision, messageId).to.be.a('number');
      }
      expect((await rowOf('rows-1')).attribution).to.equal('resolved-later');

      const listed = await getJson(service, `/api/segment/events/acct-rows?limit=10`);
      const byMessage = new Map(listed.events.map((e: { messageId: string }) => [e.messageId, e] as const));
      expect([...byMessage.keys()].sort()).to.deep.equal(calls.map((c) => c.messageId));
      for (const call of calls) expect((byMessage.get(call.messageId) as { call: { messageId: string } }).call.messageId).to.equal(call.messageId);
      expect((byMessage.get('rows-1') as { call: { properties: unknown } }).call.properties).to.deep.equal({ report: 'weekly' });
      // Personal data is sealed in the event store and opened for the reader.
      expect((byMessage.get('rows-2') as { call: { traits: { email: string } } }).call.traits.email).to.equal('ruth.rows@rows.example');
    });
  });
}
