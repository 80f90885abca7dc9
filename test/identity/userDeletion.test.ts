import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SegmentCall } from '../../src/domain/segment/calls';
import { readEngines, startTestService, TestService, WEBHOOK } from '../support/testService';
import { getJson, readStoreText } from './api';
import { story } from './story';

/** The embedded event store's files as bytes, as someone with the disk would read them. */
const eventStoreBytes = (service: TestService) =>
  ['events.db', 'events.db-wal']
    .map((name) => join(service.dataDir, name))
    .filter(existsSync)
    .map((file) => readFileSync(file).toString('latin1'))
    .join('\n');

/** Every stored event, opened with whatever keys still exist: what the event store can still tell. */
async function readableEvents(service: TestService): Promise<string> {
  const events = await service.services.eventStore.readAll({ maxCount: 100_000 });
  const opened = await Promise.all(events.map((e) => service.services.cipher.openCall(e.data as unknown as SegmentCall)));
  return JSON.stringify(opened);
}

for (const readEngine of readEngines()) {
  describe(`User deletion (read models on ${readEngine})`, function () {
    let service: TestService;
    before(async () => {
      service = await startTestService({ readEngine });
    });
    after(async () => service.close());

    it('leaves the email and name nowhere: not in read models, not in readable events; figures stay', async () => {
      const s = story('del');
      const bystander = { type: 'identify', userId: 'bystander', messageId: 'del-by', traits: { email: 'keep.me@acme-del.com', name: 'Keep Me' } };
      // A call of the person's that is rejected (bad timestamp) is kept as evidence: its personal data too.
      const rejected = { type: 'identify', userId: s.aliasedUserId, messageId: 'del-bad', timestamp: 'yesterday', traits: { email: s.email } };
      await service.post(WEBHOOK, [...s.calls, bystander, { type: 'group', userId: 'bystander', groupId: s.groupId, messageId: 'del-by-g' }, rejected]);
      await service.settled();
      // Sealed at rest from the start; readable through the APIs until the deletion.
      expect(eventStoreBytes(service)).not.to.include(s.email).and.not.to.include(s.personName);
      expect(await readableEvents(service)).to.include(s.email);
      expect(await readStoreText(service)).to.include(s.email);
      const before = await getJson(service, `/api/customers/${s.groupId}`);

      // Segment sends the deletion for the user id it knows; the alias and the anonymous past go with it.
      expect((await service.post(WEBHOOK, { type: 'delete', userId: s.aliasedUserId, messageId: 'del-request' })).status).to.equal(200);
      await service.settled();

      for (const secret of [s.email, s.personName, '+1 555 0100']) {
        expect(await readStoreText(service), secret).not.to.include(secret);
        expect(await readableEvents(service), secret).not.to.include(secret);
        expect(eventStoreBytes(service), secret).not.to.include(secret);
      }
      const eventList = JSON.stringify(await getJson(service, `/api/segment/events/${s.groupId}?limit=100`));
      expect(eventList).not.to.include(s.email);
      expect(eventList).to.include('keep.me@acme-del.com');

      const after = await getJson(service, `/api/customers/${s.groupId}`);
      expect(after).to.include({ eventCount: before.eventCount, stakeholderCount: before.stakeholderCount, lastActivityAt: before.lastActivityAt });
      const { stakeholders } = await getJson(service, `/api/customers/${after.id}/stakeholders`);
      const forgotten = stakeholders.filter((p: { forgotten: boolean }) => p.forgotten);
      expect(forgotten).to.have.length(1);
      expect(forgotten[0]).to.have.keys(['id', 'firstSeenAt', 'lastSeenAt', 'eventCount', 'forgotten']);
      expect(stakeholders.find((p: { forgotten: boolean }) => !p.forgotten).email).to.equal('keep.me@acme-del.com');
    });

    it('stores a late call dated before the deletion without its personal data, and new data after it normally', async () => {
      const deletedAt = Date.now();
      await service.post(WEBHOOK, { type: 'group', userId: 'late', groupId: 'late-acct', messageId: 'late-g' });
      await service.post(WEBHOOK, { type: 'delete', userId: 'late', messageId: 'late-del' });
      await service.settled();
      await service.post(WEBHOOK, [
        { type: 'identify', userId: 'late', messageId: 'late-old', timestamp: new Date(deletedAt - 60_000).toISOString(), traits: { email: 'old.secret@late.com' } },
        { type: 'identify', userId: 'late', messageId: 'late-new', timestamp: new Date(Date.now() + 60_000).toISOString(), traits: { email: 'came.back@late.com' } },
      ]);
      await service.settled();
      const everything = (await readStoreText(service)) + (await readableEvents(service)) + eventStoreBytes(service);
      expect(everything).not.to.include('old.secret@late.com');
      const [person] = (await getJson(service, '/api/customers/late-acct/stakeholders')).stakeholders;
      expect(person.email).to.equal('came.back@late.com');
    });
  });
}
