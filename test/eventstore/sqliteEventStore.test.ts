import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqliteEventStore';
import { eventStoreContract } from '../contracts/eventStore.contract';

eventStoreContract('SQLite', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'cscx-events-'));
  const filePath = join(folder, 'events.db');
  return {
    store: await openSqliteEventStore(filePath),
    reopen: () => openSqliteEventStore(filePath),
    startsEmpty: true,
    cleanup: () => rm(folder, { recursive: true, force: true }),
  };
});
