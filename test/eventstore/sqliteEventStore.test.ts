import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqliteEventStore';
import { eventStoreContract } from '../contracts/eventStore.contract';

eventStoreContract('embedded SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cscx-es-'));
  const file = join(dir, 'events.db');
  return {
    store: await openSqliteEventStore(file),
    reopen: () => openSqliteEventStore(file),
    startsEmpty: true,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
