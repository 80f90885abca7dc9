import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
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
  it('has the write-ahead log copied into the file by a checkpointer thread, not by the commits', async function () {
    const dir = mkdtempSync(join(tmpdir(), 'cscx-es-'));
    try {
      const file = join(dir, 'events.db');
      const store = await openSqliteEventStore(file, { writer: 'thread' });
      const before = statSync(file).size;
      // About 1 MB of events: below SQLite's own checkpoint threshold (1,000 pages), so only the thread copies them.
      const data = { text: 'x'.repeat(1000) };
      for (let append = 0; append < 8; append++) {
        const events = Array.from({ length: 100 }, (_, i) => ({ id: randomUUID(), type: 'T', data: { ...data, i }, metadata: {} }));
        await store.appendToStreams([{ streamName: `copied-${append}`, events }]);
      }
      const deadline = Date.now() + 10_000;
      while (statSync(file).size < before + 500_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(statSync(file).size).to.be.greaterThan(before + 500_000);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

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

describe('embedded SQLite append request (one string to the writer thread)', function () {
  it('stores data holding control characters, NUL text, separators and non-Latin text exactly, with exact revisions', async function () {
    const dir = mkdtempSync(join(tmpdir(), 'cscx-es-'));
    try {
      const store = await openSqliteEventStore(join(dir, 'events.db'), { writer: 'thread' });
      const data = { text: 'a\u0000b\u0001c\nd', emoji: 'café ☕ 𝄞', nested: { list: [1, null, 'x\u0000'] } };
      const metadata = { workspaceId: 'ws\u0000x', note: '' };
      const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      await store.appendToStreams([
        { streamName: 'odd-1', events: [{ id: id(1), type: 'T', data, metadata }], expectedRevision: 'no_stream' },
        { streamName: 'odd-2', events: [], expectedRevision: 'any' },
      ]);
      await store.appendToStreams([{ streamName: 'odd-1', events: [{ id: id(2), type: 'U', data: {}, metadata: {} }], expectedRevision: 0n }]);
      const stored = await store.readStream('odd-1');
      await store.close();
      expect(stored.map((e) => [e.id, e.type, e.revision])).to.deep.equal([[id(1), 'T', 0n], [id(2), 'U', 1n]]);
      expect(stored[0]!.data).to.deep.equal(data);
      expect(stored[0]!.metadata).to.deep.equal(metadata);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a stream name with a NUL character instead of storing it under another name', async function () {
    const store = await openSqliteEventStore(':memory:');
    try {
      const append = store.appendToStreams([{ streamName: 'bad\u0000name', events: [{ id: '00000000-0000-4000-8000-000000000001', type: 'T', data: {}, metadata: {} }] }]);
      const error = await append.then(() => undefined, (e: unknown) => e);
      expect(String(error)).to.match(/NUL/);
    } finally {
      await store.close();
    }
  });
});
