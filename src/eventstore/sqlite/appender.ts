import type Database from 'better-sqlite3';
import type { AppendResult, ExpectedRevision, StreamAppend } from '../port';
import { migrate } from './schema';

/** One append, decoded by the writer from the request text (see `serialiseAppends`). */
interface SerialisedAppend {
  readonly streamName: string;
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly { readonly id: string; readonly type: string; readonly data: string; readonly metadata: string }[];
}

/**
 * One request of a group: the appends of one `appendToStreams` call, atomic together, as ONE string. Posting a
 * string to the writer thread is a copy of its bytes; posting the same appends as objects made the main thread
 * serialise (and the writer rebuild) every event object and every key, a tenth of the main thread's time per
 * ingested call in batches.
 */
export type AppendRequest = string;

/** A stream was not at the expected revision; plain data so it can be posted from the writer thread. */
export interface RevisionConflict {
  readonly conflict: { readonly streamName: string; readonly expected: ExpectedRevision; readonly actual: bigint | 'no_stream' };
}

export type AppendOutcome = AppendResult[] | RevisionConflict;

export const isRevisionConflict = (outcome: AppendOutcome): outcome is RevisionConflict => 'conflict' in outcome;

/**
 * Fields separated by NUL: per append its stream name, expected revision and event count, then per event its
 * id, type, data and metadata. JSON.stringify never writes a raw NUL (it escapes control characters), and ids,
 * types and stream names with one are refused, so the separator cannot occur inside a field.
 */
const SEPARATOR = '\u0000';

export function serialiseAppends(appends: readonly StreamAppend[]): AppendRequest {
  const fields: string[] = [];
  for (const { streamName, events, expectedRevision = 'any' } of appends) {
    fields.push(withoutSeparator(streamName, 'stream name'), String(expectedRevision), String(events.length));
    for (const e of events) {
      fields.push(withoutSeparator(e.id, 'event id'), withoutSeparator(e.type, 'event type'), JSON.stringify(e.data), JSON.stringify(e.metadata));
    }
  }
  return fields.join(SEPARATOR);
}

/** The appends of a request text, on the writer's side. */
function deserialiseAppends(request: AppendRequest): SerialisedAppend[] {
  if (request === '') return []; // appendToStreams([])
  const fields = request.split(SEPARATOR);
  const appends: SerialisedAppend[] = [];
  let at = 0;
  while (at < fields.length) {
    const streamName = fields[at++]!;
    const expectedRevision = revisionOf(fields[at++]!);
    const count = Number(fields[at++]);
    const events: SerialisedAppend['events'][number][] = [];
    for (let i = 0; i < count; i++, at += 4) {
      events.push({ id: fields[at]!, type: fields[at + 1]!, data: fields[at + 2]!, metadata: fields[at + 3]! });
    }
    appends.push({ streamName, expectedRevision, events });
  }
  return appends;
}

function withoutSeparator(value: string, what: string): string {
  if (value.includes(SEPARATOR)) throw new Error(`${what} contains a NUL character: ${JSON.stringify(value)}`);
  return value;
}

const revisionOf = (text: string): ExpectedRevision =>
  text === 'any' || text === 'no_stream' || text === 'stream_exists' ? text : BigInt(text);

class Conflict extends Error {
  constructor(readonly outcome: RevisionConflict) {
    super('revision conflict');
  }
}

/**
 * Builds the function that writes a group of requests in ONE transaction (one fsync), each request in its own
 * savepoint: a request whose expected revision does not hold is rolled back alone and answered with a conflict,
 * the others commit. Any other failure (disk full, I/O error) throws and fails the whole group.
 */
export function createAppender(db: Database.Database): (group: readonly AppendRequest[]) => AppendOutcome[] {
  const statements = {
    streamRevision: db.prepare<[string], { revision: number }>('SELECT revision FROM streams WHERE stream_name = ?'),
    insertEvent: db.prepare(
      `INSERT INTO events (event_id, stream_name, revision, type, data, metadata, created_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
    ),
    eventInStream: db.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM events WHERE event_id = ? AND stream_name = ?',
    ),
    upsertStream: db.prepare(
      `INSERT INTO streams (stream_name, revision) VALUES (?, ?)
       ON CONFLICT (stream_name) DO UPDATE SET revision = excluded.revision`,
    ),
  };

  const appendOne = ({ streamName, events, expectedRevision }: SerialisedAppend, now: number): AppendResult => {
    const row = statements.streamRevision.get(streamName);
    let revision = row ? row.revision : -1;
    if (!revisionMatches(expectedRevision, revision)) {
      // Like EventStoreDB: a retry of an append that already went through is answered as a success.
      const alreadyStored = events.length > 0 && events.every((e) => statements.eventInStream.get(e.id, streamName));
      if (alreadyStored) return { streamName, nextExpectedRevision: BigInt(revision), duplicates: events.map((e) => e.id) };
      throw new Conflict({ conflict: { streamName, expected: expectedRevision, actual: row ? BigInt(revision) : 'no_stream' } });
    }
    const duplicates: string[] = [];
    for (const event of events) {
      const inserted = statements.insertEvent.run(event.id, streamName, revision + 1, event.type, event.data, event.metadata, now);
      if (inserted.changes === 1) revision += 1;
      else duplicates.push(event.id);
    }
    if (revision >= 0) statements.upsertStream.run(streamName, revision);
    return { streamName, nextExpectedRevision: BigInt(revision), duplicates };
  };

  const inSavepoint = db.transaction((request: AppendRequest, now: number) => deserialiseAppends(request).map((a) => appendOne(a, now)));
  return db.transaction((group: readonly AppendRequest[]) => {
    const now = Date.now();
    return group.map((request): AppendOutcome => {
      try {
        return inSavepoint(request, now);
      } catch (error) {
        if (error instanceof Conflict) return error.outcome;
        throw error;
      }
    });
  });
}

/** The writer thread's entry (see src/shared/sqliteWriterWorker.ts): its own connection, schema checked. */
export function createWriter(db: Database.Database): (group: readonly AppendRequest[]) => AppendOutcome[] {
  migrate(db);
  return createAppender(db);
}

function revisionMatches(expected: ExpectedRevision, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === -1;
    case 'stream_exists':
      return actual >= 0;
    default:
      return BigInt(actual) === expected;
  }
}
