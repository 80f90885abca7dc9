import { callTypeOfEvent } from '../../domain/events';
import { identityKey } from '../../domain/ids';
import { WORKSPACE_CATEGORY } from '../../domain/identity/customerEvents';
import { explicitGroupOf, identitiesOf } from '../../domain/routing';
import type { SegmentCall } from '../../domain/segment/calls';
import { SEGMENT_CALL_STREAM_PREFIXES } from '../../domain/streams';
import type { RecordedEvent } from '../../eventstore/port';
import type { PersonalDataCipher } from '../../privacy/personalDataCipher';
import type { Projection } from '../projection';
import type { UnitOfWork } from '../unitOfWork';
import { attributeCall } from './callAttribution';
import { CUSTOMER_EVENT_TYPES, handleCustomerEvent } from './customerEventHandlers';
import {
  CUSTOMER_DOMAINS,
  CUSTOMERS,
  docId,
  DOMAIN_WAITERS,
  GROUP_LINKS,
  IDENTITY_LINKS,
  MATCHING_SETTINGS,
  SEGMENT_EVENTS,
  SegmentEventDoc,
  UNRESOLVED,
  waitingCallOf,
} from './documents';
import { IdentityGraph } from './identityGraph';

/**
 * A read model that follows attribution: it learns about each call once the call has a customer, whether at
 * arrival or later, in the same batch (and the same rebuild) as the attribution itself.
 */
export interface AttributionListener {
  readonly collections: Projection['collections'];
  /** Streams beyond the Segment call streams whose events `onEvent` wants (e.g. configuration changes). */
  readonly streamPrefixes?: readonly string[];
  /** Every event handed to the projection, before attribution (calls and other events alike). */
  onEvent?(event: RecordedEvent, uow: UnitOfWork): Promise<void>;
  /**
   * A call now belongs to `customerId`; `position` is the log position of the event that decided it. `call` is
   * the call readable (personal data opened with the person's key, where the key still exists), opened once for
   * every listener, without `context.ip` and `context.traits` (no read model uses them); the row's payload is the
   * call as stored.
   */
  onAttributed(row: SegmentEventDoc, customerId: string, uow: UnitOfWork, position: number, call: SegmentCall): Promise<void>;
  /** Two identities turned out to be one person: `fromKey` is now part of `intoKey`. */
  onMerged?(workspaceId: string, fromKey: string, intoKey: string, uow: UnitOfWork, position: number): Promise<void>;
  /** A person asked to be forgotten (Segment delete): every identity key of theirs. Remove their personal data. */
  onForgotten?(workspaceId: string, identityKeys: readonly string[], uow: UnitOfWork, position: number): Promise<void>;
}

export interface AttributionOptions {
  /** Opens sealed personal data for matching and listeners, and destroys keys on deletion. */
  readonly cipher?: PersonalDataCipher;
}

/**
 * Builds the customer event log and decides, for every Segment call, which customer it belongs to (README:
 * "Customer matching"). Calls of nobody wait in a pending list and are attributed, in their original order, the
 * moment a group call, an identity merge, a group link or a matching domain tells us who they belong to.
 */
export const createAttributionProjection = (
  listeners: readonly AttributionListener[] = [],
  options: AttributionOptions = {},
): Projection => {
  const { cipher } = options;
  const open = async (call: SegmentCall) => (cipher ? cipher.openCall(withoutUnreadContext(call)) : call);

  return {
    name: 'attribution',
    streamPrefixes: [
      ...new Set([...SEGMENT_CALL_STREAM_PREFIXES, `${WORKSPACE_CATEGORY}-`, ...listeners.flatMap((l) => l.streamPrefixes ?? [])]),
    ],
    collections: [
      ...listeners.flatMap((l) => l.collections),
      { name: SEGMENT_EVENTS, indexes: [['workspaceId', 'customerId', 'sortKey'], ['workspaceId', 'customerId', 'callType', 'sortKey']] },
      { name: CUSTOMERS, indexes: [['workspaceId', 'name']] },
      { name: GROUP_LINKS, indexes: [['workspaceId', 'customerId']] },
      { name: IDENTITY_LINKS },
      { name: UNRESOLVED, indexes: [['workspaceId', 'since']] },
      { name: CUSTOMER_DOMAINS, indexes: [['workspaceId', 'customerId']] },
      { name: DOMAIN_WAITERS },
      { name: MATCHING_SETTINGS },
    ],

    async prefetch(events, uow) {
      const identityIds: string[] = [];
      const groupIds: string[] = [];
      const calls: SegmentCall[] = [];
      const eventIds: string[] = [];
      for (const event of events) {
        const call = callOf(event);
        if (!call) continue;
        calls.push(call);
        eventIds.push(event.id);
        const ws = String(event.metadata.workspaceId);
        for (const identity of identitiesOf(ws, call)) identityIds.push(docId(ws, identity.key));
        const groupId = call.type === 'delete' ? undefined : explicitGroupOf(call);
        if (groupId !== undefined) groupIds.push(docId(ws, groupId));
      }
      await uow.prefetch(IDENTITY_LINKS, identityIds);
      await uow.prefetch(GROUP_LINKS, groupIds);
      // Each call's row is looked up to skip a re-delivered call: one query for the batch, not one per call (none
      // where no call can have been delivered before).
      await uow.prefetchEventDocs(SEGMENT_EVENTS, eventIds);
      await cipher?.preload(calls);
    },

    async handle(event, uow) {
      for (const listener of listeners) await listener.onEvent?.(event, uow);
      const workspaceId = String(event.metadata.workspaceId ?? event.data.workspaceId);
      const position = Number(event.position);
      const graph = new IdentityGraph(uow, workspaceId, position, {
        onAttributed: async (row, customerId, opened) => {
          // Calls attributed on arrival come opened already; calls resolved later are opened from their row.
          const call = opened ?? (await open(waitingCallOf(row)));
          for (const listener of listeners) await listener.onAttributed(row, customerId, uow, position, call);
        },
        onMerged: async (fromKey, intoKey) => {
          for (const listener of listeners) await listener.onMerged?.(workspaceId, fromKey, intoKey, uow, position);
        },
      });
      const ctx = { uow, workspaceId, position, graph };

      if (CUSTOMER_EVENT_TYPES.has(event.type)) return handleCustomerEvent(ctx, event);
      const call = callOf(event);
      if (!call) return;
      if (call.type === 'delete') {
        // Every identity of the person: their keys go (crypto-shredding), then their personal data in read models.
        const keys = await graph.personKeys(identityKey(workspaceId, 'user', call.userId));
        await cipher?.forget(workspaceId, keys, call.receivedAt);
        for (const key of keys) await graph.changeLink(key, (link) => ({ ...link, emailDomain: null }));
        for (const listener of listeners) await listener.onForgotten?.(workspaceId, keys, uow, position);
        return;
      }
      const opened = await open(call);
      await attributeCall(ctx, event, call, opened, (row, customerId) => graph.hooks.onAttributed(row, customerId, opened));
    },
  };
};

/**
 * The call without the personal context fields no read model reads (`context.ip`, `context.traits`): they stay
 * sealed rather than being opened for nothing, which was one AES-GCM decryption per call during catch-up.
 */
function withoutUnreadContext(call: SegmentCall): SegmentCall {
  const context = call.context as Record<string, unknown> | undefined;
  if (typeof context !== 'object' || context === null || (!('ip' in context) && !('traits' in context))) return call;
  const { ip: _ip, traits: _traits, ...rest } = context;
  return { ...call, context: rest } as SegmentCall;
}

function callOf(event: RecordedEvent): SegmentCall | undefined {
  return callTypeOfEvent(event.type) ? (event.data as unknown as SegmentCall) : undefined;
}
