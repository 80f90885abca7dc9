import type { RecordedEvent } from '../../eventstore/port';
import type { SegmentCallMetadata } from '../../domain/events';
import { customerIdForGroup, identityKey } from '../../domain/ids';
import { emailDomain, groupTraitDomains } from '../../domain/identity/domains';
import { explicitGroupOf, identitiesOf } from '../../domain/routing';
import type { SegmentCall } from '../../domain/segment/calls';
import { Attribution, SEGMENT_EVENTS, SegmentEventDoc } from './documents';
import { customerOfDomain, customerOfGroup, emailDomainMatchable, MatchingContext, waitForDomain } from './groupMatching';

/**
 * Attributes one Segment call. `stored` is the call as stored (personal data sealed), kept in the event list
 * while it waits for a customer; `opened` is the same call readable, for the matching that needs an email.
 */
export async function attributeCall(
  ctx: MatchingContext,
  event: RecordedEvent,
  stored: SegmentCall,
  opened: SegmentCall,
  notify: (row: SegmentEventDoc, customerId: string) => Promise<void>,
): Promise<void> {
  const { workspaceId, graph, uow, position } = ctx;
  const identities = identitiesOf(workspaceId, stored);
  const userKey = identities.find((i) => i.kind === 'user')?.key;
  const anonymousKey = identities.find((i) => i.kind === 'anonymous')?.key;
  const ownKey = userKey ?? anonymousKey!;
  const callEmailDomain =
    opened.type === 'identify' ? emailDomain((opened.traits as Record<string, unknown> | undefined)?.email) : undefined;

  // Who is who first: merges and email domains are facts about identities, whatever this call's own customer.
  if (stored.type === 'identify' && userKey && anonymousKey) await graph.merge(anonymousKey, userKey);
  if (stored.type === 'alias' && userKey) {
    // previousId may have been a userId or an anonymousId: merge whichever identity we know under it.
    for (const kind of ['user', 'anonymous'] as const) await graph.merge(identityKey(workspaceId, kind, stored.previousId), userKey);
  }
  if (callEmailDomain && (await emailDomainMatchable(ctx, callEmailDomain))) {
    const matched = await customerOfDomain(ctx, callEmailDomain);
    await graph.setEmailDomain(ownKey, callEmailDomain, stored.timestamp, matched);
    if (!matched) await waitForDomain(ctx, callEmailDomain, { identityKey: ownKey });
  }

  let customerId: string | null = null;
  let attribution: Attribution = 'unresolved';
  let waitingFor: { on: string; reason: string } | undefined;

  const groupId = explicitGroupOf(stored);
  if (groupId !== undefined) {
    const filedUnder = (event.metadata as unknown as SegmentCallMetadata).filedUnder;
    const ownLink = await graph.link(await graph.canonicalKey(ownKey));
    customerId = await customerOfGroup(ctx, {
      groupId,
      groupDomains: stored.type === 'group' ? groupTraitDomains(stored.traits as Record<string, unknown> | undefined) : [],
      userEmailDomain: callEmailDomain ?? ownLink?.emailDomain ?? (await graph.link(ownKey))?.emailDomain ?? null,
      autoCreate: filedUnder.customerId === customerIdForGroup(workspaceId, groupId),
      timestamp: stored.timestamp,
    });
    if (customerId) attribution = 'explicit-group';
    else waitingFor = { on: `group:${groupId}`, reason: `Segment group ${groupId} is not linked to a customer (auto-create is off)` };
  }
  if (stored.type === 'group' && customerId) {
    for (const identity of identities) await graph.groupWith(identity.key, customerId, stored.timestamp);
  }
  if (!customerId && !waitingFor) {
    customerId = await graph.customerAt(ownKey, stored.timestamp);
    if (customerId) attribution = (await hasGroups(ctx, ownKey)) ? 'known-identity' : 'email-domain';
  }

  const row: Omit<SegmentEventDoc, '_pos'> = {
    _id: event.id,
    workspaceId,
    customerId,
    attribution,
    identityKeys: identities.map((i) => i.key),
    callType: stored.type,
    name: displayName(stored),
    messageId: stored.messageId,
    userId: stored.userId ?? null,
    anonymousId: stored.anonymousId ?? null,
    timestamp: stored.timestamp,
    receivedAt: stored.receivedAt,
    sortKey: `${stored.timestamp}|${event.id}`,
    streamName: event.streamName,
    revision: Number(event.revision),
    position,
    // Kept while the call waits for a customer (see SegmentEventDoc.payload). Serialized here rather than taken
    // from the store's text of the event: carrying that text to the projector thread with every event cost more
    // (200,000-event rebuild: 4-5% of wall and CPU, 80 MiB of peak RSS) than serializing the few calls that wait.
    ...(customerId ? {} : { payload: JSON.stringify(stored) }),
  };
  let isNew = false;
  await uow.update<SegmentEventDoc>(SEGMENT_EVENTS, event.id, position, (existing) => {
    isNew = existing === null;
    return existing ? undefined : row;
  });
  if (!isNew) return;

  if (customerId) {
    await graph.pending.countActivity(customerId, stored.timestamp);
    await notify({ ...row, _pos: position }, customerId);
  } else {
    const on = waitingFor?.on ?? `identity:${await graph.canonicalKey(ownKey)}`;
    const reason = waitingFor?.reason ?? 'no account known yet for this user (no group call, context.groupId or matching email domain)';
    await graph.pending.add(on, event.id, reason, stored.timestamp);
  }
}

async function hasGroups(ctx: MatchingContext, key: string): Promise<boolean> {
  const own = await ctx.graph.link(key);
  const person = await ctx.graph.link(await ctx.graph.canonicalKey(key));
  return (own?.groups?.length ?? 0) + (person?.groups?.length ?? 0) > 0;
}

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
