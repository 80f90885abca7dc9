import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, ReadStreamOptions } from '../../src/eventstore/port';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqliteEventStore';
import type { SegmentEventDoc } from '../../src/projections/attribution/documents';
import { storedCalls } from '../../src/projections/attribution/storedCalls';

const eventId = (stream: string, revision: number) =>
  `00000000-0000-4000-8000-${(stream === 'customer-a' ? 'a' : 'b') + String(revision).padStart(11, '0')}`;

const row = (fields: Partial<SegmentEventDoc> & { _id: string }): SegmentEventDoc =>
  ({ workspaceId: 'ws', customerId: 'c', attribution: 'explicit-group', identityKeys: [], callType: 'track', name: null, messageId: fields._id, userId: null, anonymousId: null, timestamp: '', receivedAt: '', sortKey: '', streamName: 'customer-a', position: 0, _pos: 0, ...fields }) as SegmentEventDoc;

describe('Event list: the calls behind its rows', () => {
  let dataDir: string;
  let store: EventStore;
  let reads: { stream: string; options: ReadStreamOptions | undefined }[];
  let counting: EventStore;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cscx-stored-calls-'));
    store = await openSqliteEventStore(join(dataDir, 'events.db'));
    const events = (stream: string, count: number) =>
      Array.from({ length: count }, (_, revision) => ({ id: eventId(stream, revision), type: 'segment.track', data: { type: 'track', messageId: `${stream}-${revision}` }, metadata: {} }));
    await store.appendToStreams([
      { streamName: 'customer-a', events: events('customer-a', 30) },
      { streamName: 'customer-b', events: events('customer-b', 3) },
    ]);
    counting = Object.create(store) as EventStore;
    counting.readStream = (stream, options) => {
      reads.push({ stream, options });
      return store.readStream(stream, options);
    };
  });
  beforeEach(() => (reads = []));
  after(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads each stream once per run of nearby revisions and maps every row to its own call', async () => {
    const rows = [2, 0, 1, 20, 29].map((revision) => row({ _id: eventId('customer-a', revision), revision }));
    rows.push(row({ _id: eventId('customer-b', 1), streamName: 'customer-b', revision: 1 }));
    const calls = await storedCalls(counting, rows);
    for (const r of rows) expect(calls.get(r._id), r._id).to.deep.equal({ type: 'track', messageId: `${r.streamName}-${r.revision}` });
    // 0-2 and 20 are 18 apart (more than the largest gap read through), 20 and 29 are 9 apart.
    expect(reads.map((r) => [r.stream, Number(r.options?.fromRevision), r.options?.maxCount]).sort()).to.deep.equal([
      ['customer-a', 0, 3],
      ['customer-a', 20, 10],
      ['customer-b', 1, 1],
    ]);
  });

  it('uses the copy a row still carries, and maps a row whose event is not there to null', async () => {
    const waiting = row({ _id: 'waiting', customerId: null, payload: JSON.stringify({ type: 'track', messageId: 'kept' }), revision: 5 });
    const older = row({ _id: 'older-without-revision' });
    const gone = row({ _id: 'gone', revision: 500 });
    const calls = await storedCalls(counting, [waiting, older, gone]);
    expect(calls.get('waiting')).to.deep.equal({ type: 'track', messageId: 'kept' });
    expect(calls.get('older-without-revision')).to.equal(null);
    expect(calls.get('gone')).to.equal(null);
    expect(reads.map((r) => Number(r.options?.fromRevision))).to.deep.equal([500]);
  });
});
