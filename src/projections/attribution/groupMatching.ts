import { customerIdForGroup } from '../../domain/ids';
import { DEFAULT_MATCHING_SETTINGS } from '../../domain/identity/customerEvents';
import { domainCandidates, isFreeMailDomain } from '../../domain/identity/domains';
import type { UnitOfWork } from '../unitOfWork';
import {
  CUSTOMER_DOMAINS,
  CustomerDomainDoc,
  CUSTOMERS,
  CustomerDoc,
  docId,
  DOMAIN_WAITERS,
  DomainWaitersDoc,
  GROUP_LINKS,
  GroupLinkDoc,
  GroupLinkVia,
  MATCHING_SETTINGS,
  MatchingSettingsDoc,
} from './documents';
import type { IdentityGraph } from './identityGraph';

/** What customer matching works with while one event is handled. */
export interface MatchingContext {
  readonly uow: UnitOfWork;
  readonly workspaceId: string;
  readonly position: number;
  readonly graph: IdentityGraph;
}

export async function matchingSettings(ctx: MatchingContext): Promise<Pick<MatchingSettingsDoc, 'matchEmailDomains' | 'matchFreeMailDomains'>> {
  return (await ctx.uow.get<MatchingSettingsDoc>(MATCHING_SETTINGS, ctx.workspaceId)) ?? DEFAULT_MATCHING_SETTINGS;
}

/** The registered customer that claims `domain` (or a parent domain of it), if any. */
export async function customerOfDomain(ctx: MatchingContext, domain: string): Promise<string | null> {
  for (const candidate of domainCandidates(domain)) {
    const claim = await ctx.uow.get<CustomerDomainDoc>(CUSTOMER_DOMAINS, docId(ctx.workspaceId, candidate));
    if (claim) return claim.customerId;
  }
  return null;
}

/** Whether a person's email domain may be matched, under the workspace's switches. */
export async function emailDomainMatchable(ctx: MatchingContext, domain: string | null | undefined): Promise<boolean> {
  if (!domain) return false;
  const settings = await matchingSettings(ctx);
  return settings.matchEmailDomains && (settings.matchFreeMailDomains || !isFreeMailDomain(domain));
}

export interface GroupEvidence {
  readonly groupId: string;
  /** Domains the group's own traits name (website, domain, domains). */
  readonly groupDomains: readonly string[];
  /** The email domain of the user making the call, if known. */
  readonly userEmailDomain: string | null;
  /** Ingestion filed the call under the group's own customer id: the workspace auto-created customers then. */
  readonly autoCreate: boolean;
  readonly timestamp: string;
}

/**
 * The customer a Segment group belongs to, by the documented precedence (README, "Customer matching"):
 * 1. an explicit link (registered with the group, linked by an admin, or created from it earlier);
 * 2. the group's website/domain traits against customer domains;
 * 3. the calling user's email domain against customer domains (free-mail only if switched on);
 * 4. a new customer created from the group, when the workspace auto-creates;
 * otherwise null: the call waits for an admin to link the group.
 * Rules 2 to 4 link the group, so later calls stop at rule 1.
 */
export async function customerOfGroup(ctx: MatchingContext, evidence: GroupEvidence): Promise<string | null> {
  const link = await ctx.uow.get<GroupLinkDoc>(GROUP_LINKS, docId(ctx.workspaceId, evidence.groupId));
  if (link) return link.customerId;
  for (const domain of evidence.groupDomains) {
    const customerId = await customerOfDomain(ctx, domain);
    if (customerId) return linkGroup(ctx, evidence.groupId, customerId, 'group-domain');
  }
  if (await emailDomainMatchable(ctx, evidence.userEmailDomain)) {
    const customerId = await customerOfDomain(ctx, evidence.userEmailDomain!);
    if (customerId) return linkGroup(ctx, evidence.groupId, customerId, 'email-domain');
  }
  if (!evidence.autoCreate) {
    for (const domain of evidence.groupDomains) await waitForDomain(ctx, domain, { groupId: evidence.groupId });
    return null;
  }
  const customerId = customerIdForGroup(ctx.workspaceId, evidence.groupId);
  await ctx.uow.update<CustomerDoc>(CUSTOMERS, docId(ctx.workspaceId, customerId), ctx.position, (doc) =>
    doc
      ? undefined
      : {
          _id: docId(ctx.workspaceId, customerId),
          workspaceId: ctx.workspaceId,
          customerId,
          name: evidence.groupId, // until the group's traits name it (accounts read model)
          groupIds: [],
          domains: [],
          externalIds: {},
          source: 'segment-group',
          createdAt: evidence.timestamp,
          eventCount: 0,
          lastActivityAt: null,
        },
  );
  return linkGroup(ctx, evidence.groupId, customerId, 'auto-created');
}

/**
 * Links a group to a customer unless it is linked already (first link wins: calls are never moved between
 * customers), then attributes what waited for the group. Returns the customer the group belongs to.
 */
export async function linkGroup(ctx: MatchingContext, groupId: string, customerId: string, via: GroupLinkVia): Promise<string> {
  const id = docId(ctx.workspaceId, groupId);
  const existing = await ctx.uow.get<GroupLinkDoc>(GROUP_LINKS, id);
  if (existing) return existing.customerId;
  await ctx.uow.update<GroupLinkDoc>(GROUP_LINKS, id, ctx.position, () => ({ _id: id, workspaceId: ctx.workspaceId, groupId, customerId, via }));
  await ctx.uow.update<CustomerDoc>(CUSTOMERS, docId(ctx.workspaceId, customerId), ctx.position, (doc) =>
    doc && !doc.groupIds.includes(groupId) ? { ...doc, groupIds: [...doc.groupIds, groupId] } : undefined,
  );
  await ctx.graph.groupLinked(groupId, customerId);
  return customerId;
}

/** Remembers a group or identity that a customer registered later with this domain should take. */
export async function waitForDomain(ctx: MatchingContext, domain: string, who: { groupId?: string; identityKey?: string }): Promise<void> {
  for (const candidate of domainCandidates(domain)) {
    const id = docId(ctx.workspaceId, candidate);
    await ctx.uow.update<DomainWaitersDoc>(DOMAIN_WAITERS, id, ctx.position, (doc) => {
      const groupIds = doc?.groupIds ?? [];
      const identityKeys = doc?.identityKeys ?? [];
      const addGroup = who.groupId && !groupIds.includes(who.groupId);
      const addIdentity = who.identityKey && !identityKeys.includes(who.identityKey);
      if (doc && !addGroup && !addIdentity) return undefined;
      return {
        _id: id,
        workspaceId: ctx.workspaceId,
        domain: candidate,
        groupIds: addGroup ? [...groupIds, who.groupId!] : groupIds,
        identityKeys: addIdentity ? [...identityKeys, who.identityKey!] : identityKeys,
      };
    });
  }
}
