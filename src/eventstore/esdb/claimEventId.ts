import { createHash } from 'node:crypto';

/** Fixed namespace for the ids of claim events, so the same event id always gives the same claim id. */
const CLAIM_NAMESPACE = Buffer.from('6f1c2f8e4b7d4a0c9e3a5d2b1c0f7e91', 'hex');

/**
 * Name-based UUID (version 5, RFC 9562) of the claim event for `eventId`. Deterministic, so a retried claim is
 * recognised by EventStoreDB as the same write; distinct from the event's own id, so that no two stored events
 * share an id (EventStoreDB's idempotency checks are keyed by event id).
 */
export function claimEventId(eventId: string): string {
  const hash = createHash('sha1').update(CLAIM_NAMESPACE).update(eventId.toLowerCase()).digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
