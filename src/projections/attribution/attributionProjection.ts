import type { RecordedEvent } from '../../eventstore/port';
import { callTypeOfEvent, SegmentCallMetadata } from '../../domain/events';
import { customerIdForGroup, identityKey } from '../../domain/ids';
import { explicitGroupOf, identitiesOf } from '../../domain/routing';
import type { SegmentCall } from '../../domain/segment/calls';
import { SEGMENT_CALL_STREAM_PREFIXES } from '../../domain/streams';
import type { Projection } from '../projection';
import type { UnitOfWork } from '../unitOfWork';
import {
  Attribution,
  CUSTOMERS,
  CustomerDoc,
  docId,
  GROUP_LINKS,
  GroupLinkDoc,
  IDENTITY_LINKS,
  SEGMENT_EVENTS,
  SegmentEventDoc,
  UNRESOLVED,

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
  /** A call now belongs to `customerId`; `position` is the log position of the event that decided it. */
  onAttributed(row: SegmentEventDoc, customerId: string, uow: UnitOfWork, position: number): Promise<void>;
}

/**
 * Builds the customer event log and decides, for every Segment call, which customer it belongs to: the group it
 * names, else the account its user was last grouped with, else nobody yet. Calls of nobody wait in a pending
 * list and are attributed, in their original order, the moment a group call or an identity merge tells us who
 * they belong to.
 */
export const createAttributionProjection = (listeners: readonly AttributionListener[] = []): Projection => ({
  name: 'attribution',
  streamPrefixes: [...new Set([...SEGMENT_CALL_STREAM_PREFIXES, ...listeners.flatMap((l) => l.streamPrefixes ?? [])])],
  collections: [
    ...listeners.flatMap((l) => l.collections),
    { name: SEGMENT_EVENTS, indexes: [['workspaceId', 'customerId', 'sortKey'], ['workspaceId', 'customerId', 'callType', 'sortKey']] },
    { name: CUSTOMERS, indexes: [['workspaceId', 'name']] },
    { name: GROUP_LINKS, indexes: [['workspaceId', 'customerId']] },
    { name: IDENTITY_LINKS },
    { name: UNRESOLVED, indexes: [['workspaceId', 'since']] },
  ],

  async prefetch(events, uow) {
    const identityIds: string[] = [];
    const groupIds: string[] = [];
    for (const event of events) {
      const call = callOf(event);
      if (!call) continue;
      const ws = workspaceOf(event);
      for (const identity of identitiesOf(ws, call)) identityIds.push(docId(ws, identity.key));
      const groupId = call.type === 'delete' ? undefined : explicitGroupOf(call);
      if (groupId !== undefined) groupIds.push(docId(ws, groupId));
    }
    await uow.prefetch(IDENTITY_LINKS, identityIds);
    await uow.prefetch(GROUP_LINKS, groupIds);
  },

  async handle(event, uow) {
    for (const listener of listeners) await listener.onEvent?.(event, uow);
    const call = callOf(event);
    if (!call || call.type === 'delete') return;
    const metadata = event.metadata as unknown as SegmentCallMetadata;
    const workspaceId = metadata.workspaceId;
    const position = Number(event.position);
    const notify = async (row: SegmentEventDoc, customerId: string) => {
      for (const listener of listeners) await listener.onAttributed(row, customerId, uow, position);
    };
    const graph = new IdentityGraph(uow, workspaceId, position, notify);
    const identities = identitiesOf(workspaceId, call);
    const userKey = identities.find((i) => i.kind === 'user')?.key;
    const anonymousKey = identities.find((i) => i.kind === 'anonymous')?.key;

    let customerId: string | null = null;
    let attribution: Attribution = 'unresolved';
    let waitingFor: { on: string; reason: string } | undefined;

    const groupId = explicitGroupOf(call);
    if (groupId !== undefined) {
      customerId = await customerOfGroup(uow, event, workspaceId, groupId, position);
      if (customerId) attribution = 'explicit-group';
      else waitingFor = { on: `group:${groupId}`, reason: `Segment group ${groupId} is not linked to a customer` };
    }

    if (call.type === 'group' && customerId) {
      for (const identity of identities) await graph.groupWith(identity.key, customerId, call.timestamp);
    }
    if (call.type === 'identify' && userKey && anonymousKey) await graph.merge(anonymousKey, userKey, call.timestamp);
    if (call.type === 'alias' && userKey) {
      // previousId may have been a userId or an anonymousId: merge whichever identity we know under it.
      for (const kind of ['user', 'anonymous'] as const) {
        await graph.merge(identityKey(workspaceId, kind, call.previousId), userKey, call.timestamp);
      }
    }

    const ownKey = userKey ?? anonymousKey!;
    if (!customerId && !waitingFor) {
      customerId = await graph.customerOf(ownKey);
      if (customerId) attribution = 'known-identity';
    }

    const row: Omit<SegmentEventDoc, '_pos'> = {
      _id: event.id,
      workspaceId,
      customerId,
      attribution,
      identityKeys: identities.map((i) => i.key),
      callType: call.type,
      name: displayName(call),
      messageId: call.messageId,
      userId: call.userId ?? null,
      anonymousId: call.anonymousId ?? null,
      timestamp: call.timestamp,
      receivedAt: call.receivedAt,
      sortKey: `${call.timestamp}|${event.id}`,
      streamName: event.streamName,
      position,
      payload: JSON.stringify(call),
    };
    let isNew = false;
    await uow.update<SegmentEventDoc>(SEGMENT_EVENTS, event.id, position, (existing) => {
      isNew = existing === null;
      return existing ? undefined : row;
    });
    if (!isNew) return;

    if (customerId) {
      await graph.countActivity(customerId, call.timestamp);
      await notify({ ...row, _pos: position }, customerId);
    } else {
      const on = waitingFor?.on ?? `identity:${await graph.canonicalKey(ownKey)}`;
      const reason = waitingFor?.reason ?? 'no account known yet for this user (no group call or context.groupId)';
      await graph.addPending(on, event.id, reason, call.timestamp);
    }
  },
});

export const attributionProjection = createAttributionProjection();

/**
 * The customer a group belongs to. A group nobody linked becomes a customer of its own when ingestion filed the
 * call under the group's derived customer id (the workspace auto-creates customers); otherwise it waits.
 */
async function customerOfGroup(
  uow: UnitOfWork,
  event: RecordedEvent,
  workspaceId: string,
  groupId: string,
  position: number,
): Promise<string | null> {
  const link = await uow.get<GroupLinkDoc>(GROUP_LINKS, docId(workspaceId, groupId));
  if (link) return link.customerId;
  const derived = customerIdForGroup(workspaceId, groupId);
  const filedUnder = (event.metadata as unknown as SegmentCallMetadata).filedUnder;
  if (filedUnder.customerId !== derived) return null;

  const call = event.data as unknown as SegmentCall;
  const traits = call.type === 'group' ? (call.traits as Record<string, unknown> | undefined) : undefined;
  await uow.update<CustomerDoc>(CUSTOMERS, docId(workspaceId, derived), position, (doc) =>
    doc
      ? undefined
      : {
          _id: docId(workspaceId, derived),
          workspaceId,
          customerId: derived,
          name: typeof traits?.name === 'string' ? traits.name : groupId,
          groupIds: [groupId],
          domains: [],
          source: 'segment-group',
          createdAt: call.timestamp,
          eventCount: 0,
          lastActivityAt: null,
        },
  );
  await uow.update<GroupLinkDoc>(GROUP_LINKS, docId(workspaceId, groupId), position, () => ({
    _id: docId(workspaceId, groupId),
    workspaceId,
    groupId,
    customerId: derived,
  }));
  return derived;
}

function callOf(event: RecordedEvent): SegmentCall | undefined {
  return callTypeOfEvent(event.type) ? (event.data as unknown as SegmentCall) : undefined;
}

const workspaceOf = (event: RecordedEvent) => String(event.metadata.workspaceId);

function displayName(call: SegmentCall): string | null {
  switch (call.type) {
    case 'track':
      return call.event;
    case 'page':
    case 'screen':
      return typeof call.name === 'string' ? call.name : null;
    case 'group':
      return call.groupId;
    default:
      return null;
  }
}

