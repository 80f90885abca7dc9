import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { ReadStoreUnavailableError } from '../../src/readstore/port';
import { openSqliteReadStore } from '../../src/readstore/sqlite';
import { readStoreContract } from '../contracts/readStore.contract';

readStoreContract('SQLite (in memory)', async () => {
  const store = await openSqliteReadStore(':memory:');
  return { store, cleanup: () => store.close() };
});

readStoreContract('SQLite (file, WAL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cscx-readstore-'));
  const store = await openSqliteReadStore(join(dir, 'read.db'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite read store specifics', () => {
  it('keeps documents across reopening the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cscx-readstore-'));
    try {
      const first = await openSqliteReadStore(join(dir, 'read.db'));
      await first.write([{ kind: 'put', collection: 'kept', doc: { _id: 'x' } }]);
      await first.close();
      const second = await openSqliteReadStore(join(dir, 'read.db'));
      expect(await (await second.collection('kept')).get('x')).to.deep.equal({ _id: 'x' });
      expect(await second.listCollections()).to.deep.equal(['kept']);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rolls back the whole write when one op fails', async () => {
    const store = await openSqliteReadStore(':memory:');
    const bad = {} as { _id: string };
    await store
      .write([
        { kind: 'put', collection: 'docs', doc: { _id: 'first' } },
        { kind: 'put', collection: 'docs', doc: bad },
      ])
      .then(
        () => expect.fail('expected the write to fail'),
        () => undefined,
      );
    expect(await (await store.collection('docs')).count()).to.equal(0);
    await store.close();
  });

  describe('while another connection holds the write lock (the projector thread committing a batch)', () => {
    let dir: string;
    let other: Database.Database;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'cscx-readstore-'));
    });
    afterEach(() => {
      if (other?.open) other.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const holdWriteLock = (file: string) => {
      other = new Database(file);
      other.exec('BEGIN IMMEDIATE');
    };

    it('waits between turns of the event loop and writes once the lock is released', async () => {
      const file = join(dir, 'read.db');
      const store = await openSqliteReadStore(file);
      const docs = await store.collection('docs');
      holdWriteLock(file);

      let written = false;
      const writing = store.write([{ kind: 'put', collection: 'docs', doc: { _id: 'a' } }]).then(() => (written = true));
      const putting = docs.put({ _id: 'b' });
      // A timer runs while both writes wait: the thread is not held by SQLite's own busy wait.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(written).to.equal(false);
      other.exec('COMMIT');
      await writing;
      await putting;
      expect((await docs.getMany(['a', 'b'])).map((d) => d._id)).to.deep.equal(['a', 'b']);
      await store.close();
    });

    it('reports an outage once the lock is held longer than it waits, and writes again afterwards', async () => {
      const file = join(dir, 'read.db');
      const store = await openSqliteReadStore(file, { lockWaitMs: 50 });
      await store.collection('docs');
      holdWriteLock(file);
      const failed = await store.write([{ kind: 'put', collection: 'docs', doc: { _id: 'a' } }]).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failed).to.be.instanceOf(ReadStoreUnavailableError);
      other.exec('ROLLBACK');
      await store.write([{ kind: 'put', collection: 'docs', doc: { _id: 'a' } }]);
      expect(await (await store.collection('docs')).count()).to.equal(1);
      await store.close();
    });
  });

  it('copies the write-ahead log into the database on a checkpointer thread (walCheckpoints: background)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cscx-readstore-'));
    const file = join(dir, 'read.db');
    try {
      const store = await openSqliteReadStore(file, { walCheckpoints: 'background' });
      const before = statSync(file).size;
      // About 2 MB of documents: far below SQLite's own checkpoint threshold, so only the thread copies them.
      const body = 'x'.repeat(1000);
      for (let batch = 0; batch < 20; batch++) {
        await store.write(Array.from({ length: 100 }, (_, i) => ({ kind: 'put' as const, collection: 'docs', doc: { _id: `d${batch}-${i}`, body } })));
      }
      // The thread works on its own schedule (every few milliseconds while the log grows): wait for its effect.
      const deadline = Date.now() + 10_000;
      while (statSync(file).size < before + 1_000_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(statSync(file).size).to.be.greaterThan(before + 1_000_000);
      expect(await (await store.collection('docs')).count()).to.equal(2000);
      await store.close(); // ends the thread and its connection too
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
