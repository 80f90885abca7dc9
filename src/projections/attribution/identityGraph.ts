import type { UnitOfWork } from '../unitOfWork';
import { docId, GroupMembership, IDENTITY_LINKS, IdentityLinkDoc, SegmentEventDoc } from './documents';
import { PendingLists } from './pendingLists';
import type { SegmentCall } from '../../domain/segment/calls';

/** Told about what the graph decides, so read models that follow attribution can follow it too. */
export interface GraphHooks {
  /** `opened`: the call readable, when the caller has it already. */
  onAttributed(row: SegmentEventDoc, customerId: string, opened?: SegmentCall): Promise<void>;
  onMerged(fromKey: string, intoKey: string): Promise<void>;
}

const MAX_GROUP_HISTORY = 50;
const MAX_MERGE_HOPS = 16;

type LinkFields = Omit<IdentityLinkDoc, '_pos'>;

/**
 * The identity graph as operations on the unit of work: which account each identity belongs to (over time),
 * which identities are one person, and the calls waiting for either. Every change is made at the log position
 * of the event that caused it, so re-delivered events change nothing.
 */
export class IdentityGraph {
  readonly pending: PendingLists;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly workspaceId: string,
    private readonly position: number,
    readonly hooks: GraphHooks,
  ) {
    this.pending = new PendingLists(uow, workspaceId, position, hooks.onAttributed);
  }

  async link(identityKey: string): Promise<IdentityLinkDoc | null> {
    return this.uow.get<IdentityLinkDoc>(IDENTITY_LINKS, docId(this.workspaceId, identityKey));
  }

  /** The person an identity is part of: the user it was merged into (following aliases of aliases), or itself. */
  canonicalKey(identityKey: string): Promise<string> {
    return canonicalKeyOf(this.uow, this.workspaceId, identityKey);
  }

  /**
   * The customer a call of this identity at `at` (Segment time) belongs to: the group the person was in at that
   * time (their earliest one for calls before any group call), else the customer their email domain matched.
   */
  async customerAt(identityKey: string, at: string): Promise<string | null> {
    const own = await this.link(identityKey);
    const canonicalKey = await this.canonicalKey(identityKey);
    const person = canonicalKey === identityKey ? own : await this.link(canonicalKey);
    for (const link of [person, own]) {
      const groups = link?.groups ?? [];
      if (groups.length) return ([...groups].reverse().find((g) => g.at <= at) ?? groups[0]!).customerId;
    }
    return person?.emailCustomerId ?? own?.emailCustomerId ?? own?.customerId ?? null;
  }

  /** A group call: the identity (and the person it is part of) belonged to the account from `timestamp` on. */
  async groupWith(identityKey: string, customerId: string, timestamp: string): Promise<void> {
    const joined = (link: LinkFields) => {
      const next = withGroups(link, [{ customerId, at: timestamp }]);
      return next === link ? undefined : next;
    };
    await this.changeLink(identityKey, joined);
    const canonicalKey = await this.canonicalKey(identityKey);
    if (canonicalKey !== identityKey) await this.changeLink(canonicalKey, joined);
    await this.resolveIdentity(identityKey);
    if (canonicalKey !== identityKey) await this.resolveIdentity(canonicalKey);
  }

  /** identify (anonymousId + userId) or alias (previousId to userId): two identities are one person. */
  async merge(fromKey: string, intoKey: string): Promise<void> {
    const from = await this.canonicalKey(fromKey);
    const into = await this.canonicalKey(intoKey);
    if (from === into) return;
    const fromLink = await this.link(from);
    await this.changeLink(from, (link) => ({ ...link, mergedInto: into }));
    await this.changeLink(into, (link) => ({
      ...withGroups(link, fromLink?.groups ?? []),
      mergedFrom: [...new Set([...(link.mergedFrom ?? []), from, ...(fromLink?.mergedFrom ?? [])])],
      emailCustomerId: link.emailCustomerId ?? fromLink?.emailCustomerId ?? null,
      customerId: link.customerId ?? fromLink?.customerId ?? null,
    }));
    await this.hooks.onMerged(from, into);
    if (await this.customerAt(into, '')) {
      await this.resolveIdentity(from);
      await this.resolveIdentity(into);
    } else {
      await this.pending.move(`identity:${from}`, `identity:${into}`);
    }
  }

  /** An identify call's email: its domain (newest wins) and the customer that domain matched, if any. */
  async setEmailDomain(identityKey: string, domain: string, at: string, customerId: string | null): Promise<void> {
    let changed = false;
    await this.changeLink(identityKey, (link) => {
      if (link.emailDomainAt && link.emailDomainAt >= at) return undefined;
      changed = true;
      return { ...link, emailDomain: domain, emailDomainAt: at, emailCustomerId: customerId, customerId: link.customerId ?? customerId };
    });
    if (changed && customerId) await this.matchedByEmailDomain(identityKey, customerId);
  }

  /** A customer now claims the identity's email domain (registered after the identity was seen). */
  async matchedByEmailDomain(identityKey: string, customerId: string): Promise<void> {
    await this.changeLink(identityKey, (link) => ({ ...link, emailCustomerId: customerId, customerId: link.customerId ?? customerId }));
    await this.resolveIdentity(identityKey);
    const canonicalKey = await this.canonicalKey(identityKey);
    if (canonicalKey !== identityKey) await this.resolveIdentity(canonicalKey);
  }

  /** A group got its customer: what waited for it is attributed, and the group calls link their users. */
  async groupLinked(groupId: string, customerId: string): Promise<void> {
    const groupCalls = await this.pending.resolve(`group:${groupId}`, async () => customerId);
    for (const row of groupCalls) {
      for (const identityKey of row.identityKeys) await this.groupWith(identityKey, customerId, row.timestamp);
    }
  }

  /** Every identity of the person (for deletion): the canonical one and all merged into it, transitively. */
  async personKeys(identityKey: string): Promise<string[]> {
    const found = new Set<string>();
    const visit = async (key: string) => {
      if (found.has(key) || found.size > 1000) return;
      found.add(key);
      for (const merged of (await this.link(key))?.mergedFrom ?? []) await visit(merged);
    };
    await visit(await this.canonicalKey(identityKey));
    await visit(identityKey);
    return [...found];
  }

  private async resolveIdentity(identityKey: string): Promise<void> {
    await this.pending.resolve(`identity:${identityKey}`, (row) => this.customerAt(identityKey, row.timestamp));
  }

  async changeLink(identityKey: string, change: (link: LinkFields) => LinkFields | undefined): Promise<void> {
    const id = docId(this.workspaceId, identityKey);
    await this.uow.update<IdentityLinkDoc>(IDENTITY_LINKS, id, this.position, (doc) =>
      change(doc ?? { _id: id, workspaceId: this.workspaceId, identityKey, customerId: null, groupedAt: null, mergedInto: null }),
    );
  }
}

/** The person an identity is part of, for read models that follow attribution (stakeholders). */
export async function canonicalKeyOf(uow: UnitOfWork, workspaceId: string, identityKey: string): Promise<string> {
  let key = identityKey;
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
    const next = (await uow.get<IdentityLinkDoc>(IDENTITY_LINKS, docId(workspaceId, key)))?.mergedInto;
    if (!next || next === identityKey) return key;
    key = next;
  }
  return key;
}

/**
 * Adds group memberships, keeping the history in Segment time order; the newest one is the current account.
 * Only changes of account are kept: a membership of the account already in force at its time answers no
 * `customerAt` differently (the earlier one of the run does), so a user's thousandth group call of the same
 * account changes nothing, and the bound counts changes of account, not calls. Returns `link` itself when
 * nothing changes.
 */
export function withGroups(link: LinkFields, added: readonly GroupMembership[]): LinkFields {
  const all = [...(link.groups ?? [])];
  for (const m of added) if (!all.some((g) => g.customerId === m.customerId && g.at === m.at)) all.push(m);
  if (all.length === (link.groups?.length ?? 0)) return link;
  all.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.customerId < b.customerId ? -1 : 1));
  const changes = all.filter((g, i) => i === 0 || all[i - 1]!.customerId !== g.customerId).slice(-MAX_GROUP_HISTORY);
  const before = link.groups ?? [];
  if (changes.length === before.length && changes.every((g, i) => g.customerId === before[i]!.customerId && g.at === before[i]!.at)) return link;
  const current = changes[changes.length - 1]!;
  return { ...link, groups: changes, customerId: current.customerId, groupedAt: current.at };
}
