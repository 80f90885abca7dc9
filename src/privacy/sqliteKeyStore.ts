import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { inlineWriter, SqliteWriterThread } from '../shared/sqliteWriterThread';
import { docIdOfKid, KeyStore, keyDocId, LiveKey } from './keyStore';

interface KeyRow {
  id: string;
  kid: string | null;
  key: Buffer | null;
  forgotten_at: string | null;
}

/** What the key writer is asked: the identities of one workspace that need a live key. */
export interface KeyRequest {
  readonly workspaceId: string;
  readonly identityKeys: readonly string[];
}

/** Opens the file the way every connection to it must: WAL, fsync on commit, destroyed keys overwritten. */
function prepare(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS identity_keys (
    id TEXT PRIMARY KEY, kid TEXT, key BLOB, created_ms INTEGER NOT NULL, forgotten_at TEXT
  ) WITHOUT ROWID`);
}

const selectKey = (db: Database.Database) =>
  db.prepare<[string], KeyRow>('SELECT id, kid, key, forgotten_at FROM identity_keys WHERE id = ?');

/**
 * Creates the missing keys of a group of requests in one transaction: new keys must be on disk before an event
 * sealed with them is, and concurrent requests share that fsync. Runs on a writer thread for files (see
 * src/shared/sqliteWriterWorker.ts), so the fsync does not stop the service's event loop.
 */
export function createWriter(db: Database.Database): (group: readonly KeyRequest[]) => Map<string, LiveKey>[] {
  prepare(db);
  const select = selectKey(db);
  // Creates a key where there is none (new identity, or one forgotten before); never replaces a live key.
  const create = db.prepare(
    `INSERT INTO identity_keys (id, kid, key, created_ms) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET kid = excluded.kid, key = excluded.key, created_ms = excluded.created_ms
     WHERE identity_keys.key IS NULL`,
  );
  const keysForOne = ({ workspaceId, identityKeys }: KeyRequest) => {
    const found = new Map<string, LiveKey>();
    for (const identityKey of new Set(identityKeys)) {
      const id = keyDocId(workspaceId, identityKey);
      let row = select.get(id);
      if (!row?.key) {
        create.run(id, `${id}:${randomBytes(6).toString('hex')}`, randomBytes(32), Date.now());
        row = select.get(id)!;
      }
      found.set(identityKey, { kid: row.kid!, key: row.key!, forgottenAt: row.forgotten_at });
    }
    return found;
  };
  return db.transaction((group: readonly KeyRequest[]) => group.map(keysForOne));
}

/**
 * The embedded key store: its own SQLite file (`DATA_DIR/keys.db`). `secure_delete` overwrites destroyed keys
 * in the file, and the WAL is truncated after each destruction so no old page keeps a copy. Known keys are read
 * on the caller's connection; new ones are made by the writer (a thread of its own, except for `:memory:`).
 */
export function openSqliteKeyStore(filePath: string): KeyStore {
  if (filePath !== ':memory:') mkdirSync(dirname(filePath), { recursive: true });
  const db = new Database(filePath);
  prepare(db);
  const select = selectKey(db);
  // Only a key made before the deletion goes: replaying an old deletion must not destroy a newer key.
  const forget = db.prepare(
    `INSERT INTO identity_keys (id, kid, key, created_ms, forgotten_at) VALUES (?, NULL, NULL, ?, ?)
     ON CONFLICT (id) DO UPDATE SET
       kid = CASE WHEN identity_keys.created_ms <= excluded.created_ms THEN NULL ELSE identity_keys.kid END,
       key = CASE WHEN identity_keys.created_ms <= excluded.created_ms THEN NULL ELSE identity_keys.key END,
       forgotten_at = MAX(COALESCE(identity_keys.forgotten_at, ''), excluded.forgotten_at)`,
  );
  const writer = keyWriter(filePath, db);

  const keysFor = async (workspaceId: string, identityKeys: readonly string[]): Promise<Map<string, LiveKey>> => {
    const found = new Map<string, LiveKey>();
    const missing: string[] = [];
    for (const identityKey of new Set(identityKeys)) {
      const row = select.get(keyDocId(workspaceId, identityKey));
      if (row?.key) found.set(identityKey, { kid: row.kid!, key: row.key, forgottenAt: row.forgotten_at });
      else missing.push(identityKey);
    }
    if (missing.length === 0) return found;
    for (const [identityKey, live] of await writer.submit({ workspaceId, identityKeys: missing })) {
      // A Buffer crosses a thread boundary as a plain Uint8Array.
      found.set(identityKey, { ...live, key: Buffer.from(live.key.buffer, live.key.byteOffset, live.key.byteLength) });
    }
    return found;
  };
  const destroy = db.transaction((workspaceId: string, identityKeys: readonly string[], at: string) => {
    for (const identityKey of new Set(identityKeys)) forget.run(keyDocId(workspaceId, identityKey), Date.parse(at), at);
  });

  return {
    keysFor,
    async keysById(kids) {
      const found = new Map<string, Buffer>();
      for (const kid of new Set(kids)) {
        const id = docIdOfKid(kid);
        const row = id ? select.get(id) : undefined;
        if (row?.key && row.kid === kid) found.set(kid, row.key);
      }
      return found;
    },
    async destroy(workspaceId, identityKeys, at) {
      if (identityKeys.length === 0) return;
      destroy(workspaceId, identityKeys, at);
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    async close() {
      await writer.close();
      db.close();
    },
  };
}

function keyWriter(filePath: string, db: Database.Database) {
  const options = { failure: (reason: string, cause?: unknown) => new Error(`key store failed to commit: ${reason}`, { cause }) };
  if (filePath === ':memory:') return inlineWriter(createWriter(db), options);
  return new SqliteWriterThread<KeyRequest, Map<string, LiveKey>>({ filePath, writerModule: __filename }, options);
}
