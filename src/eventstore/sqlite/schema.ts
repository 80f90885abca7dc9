import type Database from 'better-sqlite3';

/**
 * One table of events in store order. `position` is the global log position (AUTOINCREMENT: never reused), the
 * unique `event_id` is what makes a redelivered Segment message a duplicate, and `streams` keeps each stream's
 * revision so an append never scans the log.
 */
export function migrate(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  // FULL: a commit is on disk (fsynced WAL) before we answer 200. Group commit keeps that affordable.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      position    INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id    TEXT    NOT NULL UNIQUE,
      stream_name TEXT    NOT NULL,
      revision    INTEGER NOT NULL,
      type        TEXT    NOT NULL,
      data        TEXT    NOT NULL,
      metadata    TEXT    NOT NULL,
      created_ms  INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream ON events (stream_name, revision);
    CREATE TABLE IF NOT EXISTS streams (
      stream_name TEXT PRIMARY KEY,
      revision    INTEGER NOT NULL
    ) WITHOUT ROWID;
  `);
}
