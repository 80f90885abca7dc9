import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadStore } from '../../src/readstore/port';
import { openSqliteReadStore } from '../../src/readstore/sqlite';

/** What each test of the suite gets: its own folder, and a SQLite read store at `file` in it. */
export interface FreshReadStore {
  readonly dir: string;
  readonly file: string;
  readonly store: ReadStore;
}

/**
 * Registers, in the calling `describe`, a fresh embedded read store for every test, closed and removed after it.
 * `beforeClose` runs first at the end of each test, for what the test opened on the same file (another
 * connection, a writer thread), so nothing holds the file when its folder goes.
 */
export function freshReadStorePerTest(prefix: string, beforeClose?: () => Promise<void>): FreshReadStore {
  const current = {} as { dir: string; file: string; store: ReadStore };
  beforeEach(async () => {
    current.dir = mkdtempSync(join(tmpdir(), prefix));
    current.file = join(current.dir, 'readmodels.db');
    current.store = await openSqliteReadStore(current.file);
  });
  afterEach(async () => {
    try {
      await beforeClose?.();
      await current.store.close();
    } finally {
      rmSync(current.dir, { recursive: true, force: true });
    }
  });
  return current;
}
