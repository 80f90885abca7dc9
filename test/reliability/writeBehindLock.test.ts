import Database from 'better-sqlite3';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteReadStore } from '../../src/readstore/sqlite';
import { group, track } from '../support/segmentCalls';
import { startTestService, TestService, WEBHOOK } from '../support/testService';

const DLQ = '/api/integrations/segment/dlq';

/**
 * The projector thread builds an index with the read-model file's write lock held for seconds; the service's own
 * writes wait for it up to `lockWaitMs` (15 s in production). One that waits longer must fail as an outage the
 * client retries (503 with Retry-After), never be half-done or taken as done.
 */
describe('A service write that times out behind the read-model file\'s lock', () => {
  let dataDir: string;
  let service: TestService;
  let holder: Database.Database;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cscx-lock-'));
    const file = join(dataDir, 'readmodels.db');
    // A short wait, so the test does not wait 15 s; the lock is held by another connection, as the thread's build does.
    service = await startTestService({ dataDir, readStore: await openSqliteReadStore(file, { lockWaitMs: 100 }) });
    holder = new Database(file);
  });
  afterEach(async () => {
    if (holder.inTransaction) holder.exec('ROLLBACK');
    holder.close();
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const retry = (id: string) => fetch(`${service.url}${DLQ}/${id}/retry`, { method: 'POST', headers: { authorization: `Bearer ${service.adminToken}` } });

  it('answers 503 with Retry-After, changes nothing, and succeeds when retried after the lock is released', async () => {
    expect((await service.post(WEBHOOK, [group(), track({ messageId: 'bad-lock-1', event: undefined })])).status).to.equal(200);
    await service.settled();
    const listed = (await (await service.get(`${DLQ}?status=open`)).json()) as { deadLetters: { id: string; messageId?: string }[] };
    const letter = listed.deadLetters.find((l) => l.messageId === 'bad-lock-1')!;

    holder.exec('BEGIN IMMEDIATE'); // the write lock, as an index build holds it
    const refused = await retry(letter.id);
    expect(refused.status).to.equal(503);
    expect(refused.headers.get('retry-after')).to.match(/^\d+$/);
    expect(await refused.json()).to.include({ error: 'unavailable' });
    // Reads go on meanwhile (WAL), and so does ingestion: the event store is another file.
    const shown = (await (await service.get(`${DLQ}/${letter.id}`)).json()) as { retries?: number; status: string };
    expect(shown).to.include({ status: 'open' });
    expect(shown.retries ?? 0, 'the refused retry was not counted').to.equal(0);
    expect((await service.post(WEBHOOK, track())).status).to.equal(200);

    holder.exec('ROLLBACK');
    const retried = await retry(letter.id);
    expect(retried.status).to.equal(422); // still invalid: the retry ran and was recorded this time
    expect(((await retried.json()) as { deadLetter: { retries: number } }).deadLetter.retries).to.equal(1);
  });
});
