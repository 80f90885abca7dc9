import {
  CUSTOMER_REGISTERED,
  CustomerRegisteredData,
  SEGMENT_GROUP_LINKED,
  SegmentGroupLinkedData,
  WORKSPACE_SETTINGS_CHANGED,
  WorkspaceSettingsChangedData,
} from '../../domain/identity/customerEvents';
import type { RecordedEvent } from '../../eventstore/port';
import {
  CUSTOMER_DOMAINS,
  CustomerDomainDoc,
  CUSTOMERS,
  CustomerDoc,
  docId,
  DOMAIN_WAITERS,
  DomainWaitersDoc,
  MATCHING_SETTINGS,
  MatchingSettingsDoc,
} from './documents';
import { emailDomainMatchable, linkGroup, MatchingContext } from './groupMatching';

export const CUSTOMER_EVENT_TYPES: ReadonlySet<string> = new Set([CUSTOMER_REGISTERED, SEGMENT_GROUP_LINKED, WORKSPACE_SETTINGS_CHANGED]);

/** Customer registrations, group links and matching settings, in log order with the calls. */
export async function handleCustomerEvent(ctx: MatchingContext, event: RecordedEvent): Promise<void> {
  switch (event.type) {
    case CUSTOMER_REGISTERED:
      return registerCustomer(ctx, event.data as unknown as CustomerRegisteredData);
    case SEGMENT_GROUP_LINKED: {
      const data = event.data as unknown as SegmentGroupLinkedData;
      await linkGroup(ctx, data.groupId, data.customerId, 'linked');
      return;
    }
    case WORKSPACE_SETTINGS_CHANGED: {
      const { settings } = event.data as unknown as WorkspaceSettingsChangedData;
      await ctx.uow.update<MatchingSettingsDoc>(MATCHING_SETTINGS, ctx.workspaceId, ctx.position, () => ({
        _id: ctx.workspaceId,
        workspaceId: ctx.workspaceId,
        matchEmailDomains: settings.matchEmailDomains,
        matchFreeMailDomains: settings.matchFreeMailDomains,
      }));
    }
  }
}

/**
 * A registered customer: its record, its domains (first claim wins), its groups (first link wins), and then
 * whatever waited for them: calls of its groups, groups and users whose domains it claims.
 */
async function registerCustomer(ctx: MatchingContext, data: CustomerRegisteredData): Promise<void> {
  const { uow, workspaceId, position } = ctx;
  const id = docId(workspaceId, data.customerId);
  await uow.update<CustomerDoc>(CUSTOMERS, id, position, (doc) =>
    doc
      ? undefined
      : {
          _id: id,
          workspaceId,
          customerId: data.customerId,
          name: data.name,
          groupIds: [],
          domains: data.domains,
          externalIds: data.externalIds,
          source: 'registered',
          createdAt: data.registeredAt,
          eventCount: 0,
          lastActivityAt: null,
        },
  );
  const claimed: string[] = [];
  for (const domain of data.domains) {
    const claimId = docId(workspaceId, domain);
    const claim = await uow.get<CustomerDomainDoc>(CUSTOMER_DOMAINS, claimId);
    if (claim && claim.customerId !== data.customerId) continue;
    claimed.push(domain);
    await uow.update<CustomerDomainDoc>(CUSTOMER_DOMAINS, claimId, position, () => ({
      _id: claimId,
      workspaceId,
      domain,
      customerId: data.customerId,
    }));
  }
  for (const groupId of data.groupIds) await linkGroup(ctx, groupId, data.customerId, 'registered');
  for (const domain of claimed) {
    const waiters = await uow.get<DomainWaitersDoc>(DOMAIN_WAITERS, docId(workspaceId, domain));
    if (!waiters) continue;
    for (const groupId of waiters.groupIds) await linkGroup(ctx, groupId, data.customerId, 'group-domain');
    if (await emailDomainMatchable(ctx, domain)) {
      for (const identityKey of waiters.identityKeys) {
        const link = await ctx.graph.link(identityKey);
        if (!link?.emailCustomerId) await ctx.graph.matchedByEmailDomain(identityKey, data.customerId);
      }
    }
    await uow.update<DomainWaitersDoc>(DOMAIN_WAITERS, docId(workspaceId, domain), position, () => null);
  }
}
