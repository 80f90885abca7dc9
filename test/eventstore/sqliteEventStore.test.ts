import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, SqliteWriterMode } from '../../src/eventstore/sqlite/sqliteEventStore';
import { eventStoreContract } from '../contracts/eventStore.contract';

for (const writer of ['thread', 'inline'] as SqliteWriterMode[]) {
  eventStoreContract(`embedded SQLite, ${writer} writer`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cscx-es-'));
    const file = join(dir, 'events.db');
    return {
      store: await openSqliteEventStore(file, { writer }),
      reopen: () => openSqliteEventStore(file, { writer }),
      startsEmpty: true,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  });
}

describe('embedded SQLite writer thread', function () {
  it('finishes the appends already submitted when the store is closed, and they are there after a reopen', async function () {
    const dir = mkdtempSync(join(tmpdir(), 'cscx-es-'));
    try {
      const file = join(dir, 'events.db');
      const store = await openSqliteEventStore(file, { writer: 'thread' });
      const ids = Array.from({ length: 50 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
      const appends = ids.map((id) => store.appendToStreams([{ streamName: 'closing-1', events: [{ id, type: 'T', data: {}, metadata: {} }] }]));
      await store.close();
      expect((await Promise.allSettled(appends)).every((o) => o.status === 'fulfilled')).to.equal(true);

      const reopened = await openSqliteEventStore(file, { writer: 'thread' });
      const stored = await reopened.readStream('closing-1');
      await reopened.close();
      expect(stored.map((e) => e.id).sort()).to.deep.equal(ids);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
