import type { SegmentCall } from './segment/calls';
import { customerIdForGroup, identityKey, IdentityKind } from './ids';

/** What ingestion knows, at the moment a call arrives, about who its customer is. */
export interface CustomerLookup {
  /** The customer a Segment group is linked to, if any. */
  readonly customerOfGroup: (groupId: string) => string | undefined;
  /** The customer an identity was last seen with, if any. */
  readonly customerOfIdentity: (identityKey: string) => string | undefined;
  /** Whether a group nobody linked yet becomes a customer of its own (a workspace setting). */
  readonly autoCreateCustomers: boolean;
}

export type Route =
  | { readonly kind: 'customer'; readonly customerId: string }
  | { readonly kind: 'identity'; readonly identityKey: string };

/** The account a call names itself: a group call's groupId, or `context.groupId` on any other call. */
export function explicitGroupOf(call: SegmentCall): string | undefined {
  if (call.type === 'group') return call.groupId;
  const context = call.context as { groupId?: unknown } | undefined;
  const groupId = context?.groupId;
  if (typeof groupId === 'string' && groupId.length > 0) return groupId;
  return typeof groupId === 'number' && Number.isFinite(groupId) ? String(groupId) : undefined;
}

export function identitiesOf(workspaceId: string, call: SegmentCall): { kind: IdentityKind; key: string }[] {
  // Array literals of the exact size: ingestion asks this several times per call, and a pushed-to empty array
  // allocates room for 17.
  const user = typeof call.userId === 'string' ? { kind: 'user' as const, key: identityKey(workspaceId, 'user', call.userId) } : undefined;
  if (typeof call.anonymousId !== 'string') return user ? [user] : [];
  const anonymous = { kind: 'anonymous' as const, key: identityKey(workspaceId, 'anonymous', call.anonymousId) };
  return user ? [user, anonymous] : [anonymous];
}

/** The first of `identitiesOf`: the userId's identity, else the anonymousId's (the person a call is about). */
export function ownerIdentityOf(workspaceId: string, call: SegmentCall): string | undefined {
  if (typeof call.userId === 'string') return identityKey(workspaceId, 'user', call.userId);
  return typeof call.anonymousId === 'string' ? identityKey(workspaceId, 'anonymous', call.anonymousId) : undefined;
}

/**
 * Chooses the stream a call is filed in: its customer's when it is known now, otherwise its identity's. Filing is
 * only locality; attribution in the read models follows the identity graph and can change later. Nothing is
 * dropped for want of a customer.
 */
export function routeCall(workspaceId: string, call: SegmentCall, lookup: CustomerLookup): Route {
  const groupId = call.type === 'delete' ? undefined : explicitGroupOf(call);
  if (groupId !== undefined) {
    const linked = lookup.customerOfGroup(groupId);
    if (linked) return { kind: 'customer', customerId: linked };
    if (lookup.autoCreateCustomers) return { kind: 'customer', customerId: customerIdForGroup(workspaceId, groupId) };
  }
  const identities = identitiesOf(workspaceId, call);
  for (const identity of identities) {
    const customerId = lookup.customerOfIdentity(identity.key);
    if (customerId) return { kind: 'customer', customerId };
  }
  // identitiesOf always finds one: decoding requires userId or anonymousId.
  return { kind: 'identity', identityKey: identities[0]!.key };
}
