import type { RecordedEvent } from '../port';

export interface EventRow {
  position: number;
  event_id: string;
  stream_name: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  created_ms: number;
}

export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  type: row.type,
  streamName: row.stream_name,
  revision: BigInt(row.revision),
  position: BigInt(row.position),
  data: JSON.parse(row.data) as RecordedEvent['data'],
  metadata: JSON.parse(row.metadata) as RecordedEvent['metadata'],
  created: new Date(row.created_ms),
});

/** Stream-prefix filters as index-friendly ranges: name >= prefix AND name < prefix with its last char bumped. */
export function prefixRanges(prefixes: readonly string[] | undefined): { sql: string; params: string[] } {
  if (!prefixes || prefixes.length === 0) return { sql: '', params: [] };
  const clauses = prefixes.map(() => '(stream_name >= ? AND stream_name < ?)');
  const params = prefixes.flatMap((p) => [p, p.slice(0, -1) + String.fromCharCode(p.charCodeAt(p.length - 1) + 1)]);
  return { sql: ` AND (${clauses.join(' OR ')})`, params };
}
