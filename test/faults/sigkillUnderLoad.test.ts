import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '../../src/eventstore/port';
import { startTestService, TestService, WEBHOOK } from '../support/testService';
import { ServerProcess } from '../support/serverProcess';

const ACCOUNTS = 12;
const SENDERS = 8;
const KILL_AFTER_ACKED_CALLS = 600;
const MAX_REQUESTS = 4000;
const MAX_LOAD_MS = 20_000;

let counter = 0;
const callFor = (account: number) => ({
  type: 'track',
  messageId: `load-${++counter}`,
  userId: `user-${account}-${counter % 5}`,
  event: 'Feature Used',
  properties: { n: counter },
  context: { groupId: `acct-${account}` },
  timestamp: new Date(Date.UTC(2026, 10, 1) + counter * 1000).toISOString(),
});

async function allEvents(service: TestService): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let page = 0; page < 1000; page++) {
    const next = await service.services.eventStore.readAll({ after: events.at(-1)?.position ?? 0n, maxCount: 1000 });
    if (next.length === 0) return events;
    events.push(...next);
  }
  throw new Error('more events than this test can have sent');
}

async function listedMessageIds(service: TestService, account: number): Promise<{ ids: string[]; eventCount: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let eventCount = NaN;
  for (let page = 0; page < 100; page++) {
    const response = await service.get(`/api/segment/events/acct-${account}?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    const body = (await response.json()) as { customer: { eventCount: number }; events: { messageId: string }[]; nextCursor: string | null };
    eventCount = body.customer.eventCount;
    ids.push(...body.events.map((e) => e.messageId));
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return { ids, eventCount };
}

describe('Faults: SIGKILL in the middle of sustained load', function () {
  this.timeout(90_000);
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cscx-sigkill-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stores every acknowledged call exactly once and the read models converge after a restart', async () => {
    const writeKey = 'wk_fault_test';
    const server = await ServerProcess.start({ DATA_DIR: dataDir, SEGMENT_WRITE_KEY: writeKey });
    const post = (calls: unknown[]) =>
      fetch(server.url + WEBHOOK, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${writeKey}` }, body: JSON.stringify(calls) });
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => i);
    expect((await post(accounts.map((a) => ({ ...callFor(a), type: 'group', groupId: `acct-${a}`, traits: { name: `Account ${a}` } })))).status).to.equal(200);

    const acknowledged = new Map<string, number>();
    const inDoubt: { calls: { messageId: string }[] }[] = [];
    let requests = 0;
    let killed = false;
    const started = Date.now();
    const sender = async (id: number) => {
      while (!killed && requests < MAX_REQUESTS && Date.now() - started < MAX_LOAD_MS) {
        requests += 1;
        const size = requests % 4 === 0 ? 10 : 1; // single calls and small batches, as Webhooks (Actions) sends them
        const calls = Array.from({ length: size }, (_, i) => callFor((id + i + requests) % ACCOUNTS));
        try {
          const response = await post(calls);
          if (response.status === 200) for (const c of calls) acknowledged.set(c.messageId, Number(c.context.groupId.slice(5)));
          else inDoubt.push({ calls });
        } catch {
          inDoubt.push({ calls }); // the connection died with the server: Segment would retry these
        }
        if (!killed && acknowledged.size >= KILL_AFTER_ACKED_CALLS) {
          killed = true;
          await server.kill();
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, (_, i) => sender(i)));
    await server.kill();
    expect(killed, 'the load reached the kill point').to.equal(true);

    const restarted = await startTestService({ dataDir });
    try {
      // Segment retries what was not acknowledged; some of it was stored before the kill and is a duplicate now.
      for (const { calls } of inDoubt) {
        const response = await restarted.post(WEBHOOK, calls);
        expect(response.status).to.equal(200);
        for (const c of calls as ReturnType<typeof callFor>[]) acknowledged.set(c.messageId, Number(c.context.groupId.slice(5)));
      }
      await restarted.settled();

      const stored = (await allEvents(restarted)).filter((e) => String(e.metadata.messageId).startsWith('load-') && e.type.startsWith('SegmentTrack'));
      const storedIds = stored.map((e) => String(e.metadata.messageId));
      expect(new Set(storedIds).size, 'no messageId stored twice').to.equal(storedIds.length);
      expect([...acknowledged.keys()].filter((id) => !storedIds.includes(id)), 'acknowledged but not stored').to.deep.equal([]);

      for (const account of accounts) {
        const expected = [...acknowledged].filter(([, a]) => a === account).map(([id]) => id).sort();
        const listed = await listedMessageIds(restarted, account);
        const tracks = listed.ids.filter((id) => expected.includes(id));
        expect(new Set(listed.ids).size, `acct-${account}: no call listed twice`).to.equal(listed.ids.length);
        expect(tracks.sort(), `acct-${account}: every stored call listed`).to.deep.equal(expected);
        expect(listed.eventCount, `acct-${account}: counted once each`).to.equal(listed.ids.length);
      }
    } finally {
      await restarted.close();
    }
  });
});
