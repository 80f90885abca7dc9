import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
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
});
