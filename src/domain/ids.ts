import { hash as cryptoHash } from 'node:crypto';
import { PairMemo } from '../shared/pairMemo';

/** The namespace of every UUIDv5 this service derives (itself a random UUID, fixed forever). */
const CSCX_NAMESPACE = 'b7e1f0a4-3c52-4f8e-9d1a-6a2f0c9e4b13';

const namespaceBytes = (namespace: string) => Buffer.from(namespace.replace(/-/g, ''), 'hex');
const CSCX_NAMESPACE_BYTES = namespaceBytes(CSCX_NAMESPACE);

/** RFC 4122 version-5 UUID: the same name always gives the same id, which is what makes retries idempotent. */
export function uuidV5(name: string, namespace: string = CSCX_NAMESPACE): string {
  const ns = namespace === CSCX_NAMESPACE ? CSCX_NAMESPACE_BYTES : namespaceBytes(namespace);
  // One buffer and a one-shot hash: this runs for every call ingested.
  const input = Buffer.allocUnsafe(ns.length + Buffer.byteLength(name, 'utf8'));
  ns.copy(input, 0);
  input.write(name, ns.length, 'utf8');
  const hash = cryptoHash('sha1', input, 'buffer');
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The event id of a Segment call: one per workspace and messageId, so a redelivery maps to the same event. */
export const eventIdForMessage = (workspaceId: string, messageId: string): string =>
  uuidV5(`segment-message:${workspaceId}:${messageId}`);

/**
 * The same users and groups come back call after call, and every stage (routing, lookups, projections) asks for
 * their keys: hashing once per identity instead of once per question is a measurable share of ingest CPU.
 */
const MEMO_LIMIT = 100_000;

const groupCustomerIds = new PairMemo(MEMO_LIMIT, (workspaceId, groupId) =>
  'grp_' + uuidV5(`segment-group:${workspaceId}:${groupId}`).replace(/-/g, '').slice(0, 20),
);
const identityKeyMemo = (kind: IdentityKind) =>
  new PairMemo(MEMO_LIMIT, (workspaceId, value) =>
    `${kind === 'user' ? 'u' : 'a'}_` + uuidV5(`segment-identity:${workspaceId}:${kind}:${value}`).replace(/-/g, '').slice(0, 24),
  );
const identityKeys: Record<IdentityKind, PairMemo> = { user: identityKeyMemo('user'), anonymous: identityKeyMemo('anonymous') };

/** A customer created from a Segment group gets an id derived from it, so concurrent calls agree on it. */
export const customerIdForGroup = (workspaceId: string, groupId: string): string => groupCustomerIds.get(workspaceId, groupId);

/** Identity keys: who a call is about when no customer is known yet. Hashed so no personal data is in names. */
export type IdentityKind = 'user' | 'anonymous';
export const identityKey = (workspaceId: string, kind: IdentityKind, value: string): string => identityKeys[kind].get(workspaceId, value);

const allMemos = [groupCustomerIds, identityKeys.user, identityKeys.anonymous];

/** Drops a removed workspace's memoised keys, which would otherwise stay until the memo fills up. */
export function forgetIdsOf(workspaceId: string): void {
  for (const memo of allMemos) memo.forget(workspaceId);
}

/** Whether any key of the workspace is memoised (for tests). */
export const idsMemoHolds = (workspaceId: string): boolean => allMemos.some((memo) => memo.holds(workspaceId));
