import { expect } from 'chai';
import { join } from 'node:path';
import { customerIdForGroup, eventIdForMessage } from '../../src/domain/ids';
import type { RecordedEvent } from '../../src/eventstore/port';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqliteEventStore';
import { createAttributionProjection } from '../../src/projections/attribution/attributionProjection';
import { CUSTOMERS, CustomerDoc, docId, SEGMENT_EVENTS } from '../../src/projections/attribution/documents';
import { eventsProjectedOnce, projectBatch } from '../../src/projections/projectBatch';
import { ProjectedDoc, UnitOfWork } from '../../src/projections/unitOfWork';
import { countingReadStore } from '../support/countingReadStore';
import { flakyEventStore } from '../support/flakyEventStore';
import { freshReadStorePerTest } from '../support/freshReadStore';

/** A track call of `acme`'s user, filed under the customer its group creates, as the log holds it at `position`. */
function trackCall(position: number, streamName: string): RecordedEvent {
  const workspaceId = 'default';
  const messageId = 'msg-stored-twice';
  const customerId = customerIdForGroup(workspaceId, 'acme');
  const at = '2026-11-01T10:00:00.000Z';
  return {
    id: eventIdForMessage(workspaceId, messageId),
    type: 'SegmentTrackReceived.v1',
    streamName,
    revision: 0n,
    position: BigInt(position),
    data: { type: 'track', messageId, userId: 'ann', event: 'Report Exported', timestamp: at, receivedAt: at, context: { groupId: 'acme' } },
    metadata: { workspaceId, messageId, filedUnder: { customerId } },
    created: new Date(at),
  };
}

describe('Events projected once (embedded engines: no look-up of rows no event can have written yet)', () => {
  const fresh = freshReadStorePerTest('cscx-once-');

  it('holds only for an event store with ids unique by constraint and a read store that writes atomically', async () => {
    const eventStore = await openSqliteEventStore(join(fresh.dir, 'events.db'));
    try {
      expect(eventsProjectedOnce(eventStore, fresh.store)).to.equal(true);
      // A store without the guarantee (a wrapper here; EventStoreDB, MongoDB) keeps the look-ups.
      expect(eventsProjectedOnce(flakyEventStore(eventStore).store, fresh.store)).to.equal(false);
      expect(eventsProjectedOnce(eventStore, { atomicWrites: undefined })).to.equal(false);
    } finally {
      await eventStore.close();
    }
  });

  it('then reads nothing for the rows of a batch\'s events, and otherwise finds a row already written', async () => {
    const rows = await fresh.store.collection<ProjectedDoc>(SEGMENT_EVENTS);
    await rows.put({ _id: 'e-written', _pos: 1 });
    const { store, asked } = countingReadStore(fresh.store);

    const once = new UnitOfWork(store, (name) => name, { eventsProjectedOnce: true });
    await once.prefetchEventDocs(SEGMENT_EVENTS, ['e-new', 'e-written']);
    expect(asked()).to.equal(0);
    expect(await once.get(SEGMENT_EVENTS, 'e-new')).to.equal(null);

    const looking = new UnitOfWork(store, (name) => name);
    await looking.prefetchEventDocs(SEGMENT_EVENTS, ['e-new', 'e-written']);
    expect(asked()).to.equal(2);
    expect(await looking.get(SEGMENT_EVENTS, 'e-written')).to.deep.equal({ _id: 'e-written', _pos: 1 });
  });

  it('without the guarantee, a call stored twice (EventStoreDB\'s window, another stream) is listed and counted once', async () => {
    const attribution = createAttributionProjection();
    const first = trackCall(1, 'identity-default.u_ann');
    const copy = trackCall(7, 'customer-default.acme');
    await projectBatch(fresh.store, attribution, (name) => name, [first], { _id: 'attribution', position: 1, updatedAt: '2026-11-01T10:00:01.000Z' }, 0, false);
    await projectBatch(fresh.store, attribution, (name) => name, [copy], { _id: 'attribution', position: 7, updatedAt: '2026-11-01T10:00:02.000Z' }, 0, false);

    const customer = await (await fresh.store.collection<CustomerDoc>(CUSTOMERS)).get(docId('default', customerIdForGroup('default', 'acme')));
    expect(customer?.eventCount).to.equal(1);
    expect(await (await fresh.store.collection(SEGMENT_EVENTS)).count({})).to.equal(1);
  });
});
