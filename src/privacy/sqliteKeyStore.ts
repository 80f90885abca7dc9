import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { GroupCommit } from '../shared/groupCommit';
import { docIdOfKid, KeyStore, keyDocId, LiveKey } from './keyStore';

interface KeyRow {
  id: string;
  kid: string | null;
  key: Buffer | null;
  forgotten_at: string | null;
}

/**
 * The embedded key store: its own SQLite file (`DATA_DIR/keys.db`). `secure_delete` overwrites destroyed keys
 * in the file, and the WAL is truncated after each destruction so no old page keeps a copy.
 */
export function openSqliteKeyStore(filePath: string): KeyStore {
  if (filePath !== ':memory:') mkdirSync(dirname(filePath), { recursive: true });
  const db = new Database(filePath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS identity_keys (
    id TEXT PRIMARY KEY, kid TEXT, key BLOB, created_ms INTEGER NOT NULL, forgotten_at TEXT
  ) WITHOUT ROWID`);
  const select = db.prepare<[string], KeyRow>('SELECT id, kid, key, forgotten_at FROM identity_keys WHERE id = ?');
  // Creates a key where there is none (new identity, or one forgotten before); never replaces a live key.
  const create = db.prepare(
    `INSERT INTO identity_keys (id, kid, key, created_ms) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET kid = excluded.kid, key = excluded.key, created_ms = excluded.created_ms
     WHERE identity_keys.key IS NULL`,
  );
  // Only a key made before the deletion goes: replaying an old deletion must not destroy a newer key.
  const forget = db.prepare(
    `INSERT INTO identity_keys (id, kid, key, created_ms, forgotten_at) VALUES (?, NULL, NULL, ?, ?)
     ON CONFLICT (id) DO UPDATE SET
       kid = CASE WHEN identity_keys.created_ms <= excluded.created_ms THEN NULL ELSE identity_keys.kid END,
       key = CASE WHEN identity_keys.created_ms <= excluded.created_ms THEN NULL ELSE identity_keys.key END,
       forgotten_at = MAX(COALESCE(identity_keys.forgotten_at, ''), excluded.forgotten_at)`,
  );

  const keysForOne = (workspaceId: string, identityKeys: readonly string[]) => {
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
  // New keys must be on disk before an event sealed with them is; concurrent requests share that fsync.
  const keysForAll = db.transaction((requests: { workspaceId: string; identityKeys: readonly string[] }[]) =>
    requests.map((r) => keysForOne(r.workspaceId, r.identityKeys)),
  );
  const keyCommits = new GroupCommit<{ workspaceId: string; identityKeys: readonly string[] }, Map<string, LiveKey>>(
    keysForAll,
    (error) => error,
  );
  const destroy = db.transaction((workspaceId: string, identityKeys: readonly string[], at: string) => {
    for (const identityKey of new Set(identityKeys)) forget.run(keyDocId(workspaceId, identityKey), Date.parse(at), at);
  });

  return {
    keysFor: (workspaceId, identityKeys) => keyCommits.submit({ workspaceId, identityKeys }),
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
      db.close();
    },
  };
}
