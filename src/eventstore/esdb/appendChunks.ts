import type { NewEvent } from '../port';

/**
 * EventStoreDB refuses an append larger than its max append size (1 MiB by default). Leave room for what the size
 * estimate below does not count exactly (protobuf framing, content type, the server's own accounting).
 */
export const APPEND_BUDGET_BYTES = 900 * 1024;

/** Per-event bytes besides data, metadata and type: the 16-byte id, the content type and protobuf framing. */
const PER_EVENT_OVERHEAD_BYTES = 128;

export function estimatedSize(event: NewEvent): number {
  return (
    Buffer.byteLength(JSON.stringify(event.data)) +
    Buffer.byteLength(JSON.stringify(event.metadata)) +
    Buffer.byteLength(event.type) +
    PER_EVENT_OVERHEAD_BYTES
  );
}

/**
 * Splits events, in order, into appends of at most `budget` estimated bytes. An event larger than the budget goes
 * alone, and the server decides (it rejects it when it is over the real limit). No events give one empty chunk, so
 * that an append of nothing still checks the expected revision.
 */
export function chunkForAppend(events: readonly NewEvent[], budget = APPEND_BUDGET_BYTES): NewEvent[][] {
  const chunks: NewEvent[][] = [[]];
  let currentBytes = 0;
  for (const event of events) {
    const size = estimatedSize(event);
    const current = chunks[chunks.length - 1] as NewEvent[];
    if (current.length > 0 && currentBytes + size > budget) {
      chunks.push([event]);
      currentBytes = size;
    } else {
      current.push(event);
      currentBytes += size;
    }
  }
  return chunks;
}
