import type { UnitOfWork } from '../unitOfWork';
import {
  CUSTOMERS,
  CustomerDoc,
  docId,
  IDENTITY_LINKS,
  IdentityLinkDoc,
  SEGMENT_EVENTS,
  SegmentEventDoc,
  UNRESOLVED,
  UnresolvedDoc,
} from './documents';

/**
 * The identity graph and the pending lists, as operations on the unit of work. Every change is made at the log
 * position of the event that caused it, so re-delivered events change nothing.
 */
export class IdentityGraph {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly workspaceId: string,
    private readonly position: number,
    /** Told about every call that gets its customer here (read models that follow attribution). */
    private readonly onAttributed: (row: SegmentEventDoc, customerId: string) => Promise<void> = async () => undefined,
  ) {}

  async link(identityKey: string): Promise<IdentityLinkDoc | null> {
    return this.uow.get<IdentityLinkDoc>(IDENTITY_LINKS, docId(this.workspaceId, identityKey));
  }

  /** The key events of this identity are attributed through: the user it was merged into, or itself. */
  async canonicalKey(identityKey: string): Promise<string> {
    return (await this.link(identityKey))?.mergedInto ?? identityKey;
  }

  async customerOf(identityKey: string): Promise<string | null> {
    const link = await this.link(identityKey);
    if (link?.mergedInto) {
      const merged = await this.link(link.mergedInto);
      if (merged?.customerId) return merged.customerId;
    }
    return link?.customerId ?? null;
  }

  /** A group call: the identity now belongs to the account, unless a newer group call already said otherwise. */
  async groupWith(identityKey: string, customerId: string, timestamp: string): Promise<void> {
    await this.changeLink(identityKey, (link) =>
      link.groupedAt && link.groupedAt > timestamp ? undefined : { ...link, customerId, groupedAt: timestamp },
    );
    const canonical = await this.canonicalKey(identityKey);
    await this.resolve(`identity:${identityKey}`, customerId);
    if (canonical !== identityKey) await this.resolve(`identity:${canonical}`, customerId);
  }

  /** identify (anonymousId + userId) or alias (previousId to userId): two identities are one person. */
  async merge(fromKey: string, intoKey: string, timestamp: string): Promise<void> {
    if (fromKey === intoKey) return;
    await this.changeLink(fromKey, (link) => ({ ...link, mergedInto: intoKey }));
    const intoCustomer = (await this.link(intoKey))?.customerId ?? null;
    const fromCustomer = (await this.link(fromKey))?.customerId ?? null;
    if (intoCustomer) {
      await this.resolve(`identity:${fromKey}`, intoCustomer);
    } else if (fromCustomer) {
      const groupedAt = (await this.link(fromKey))?.groupedAt ?? timestamp;
      await this.changeLink(intoKey, (link) => ({ ...link, customerId: fromCustomer, groupedAt }));
      await this.resolve(`identity:${intoKey}`, fromCustomer);
    } else {
      await this.movePending(`identity:${fromKey}`, `identity:${intoKey}`);
    }
  }

  async addPending(waitingFor: string, eventId: string, reason: string, since: string): Promise<void> {
    await this.uow.update<UnresolvedDoc>(UNRESOLVED, docId(this.workspaceId, waitingFor), this.position, (doc) => ({
      _id: docId(this.workspaceId, waitingFor),
      workspaceId: this.workspaceId,
      waitingFor,
      reason: doc?.reason ?? reason,
      eventIds: doc?.eventIds.includes(eventId) ? doc.eventIds : [...(doc?.eventIds ?? []), eventId],
      since: doc?.since ?? since,
    }));
  }

  /** Attributes every event waiting for `waitingFor` to the customer. Returns the group calls among them. */
  async resolve(waitingFor: string, customerId: string): Promise<SegmentEventDoc[]> {
    const id = docId(this.workspaceId, waitingFor);
    const pending = await this.uow.get<UnresolvedDoc>(UNRESOLVED, id);
    if (!pending) return [];
    await this.uow.prefetch(SEGMENT_EVENTS, pending.eventIds);
    const resolved: SegmentEventDoc[] = [];
    for (const eventId of pending.eventIds) {
      await this.uow.update<SegmentEventDoc>(SEGMENT_EVENTS, eventId, this.position, (row) => {
        if (!row || row.customerId) return undefined;
        resolved.push(row);
        return { ...row, customerId, attribution: 'resolved-later' };
      });
    }
    for (const row of resolved) {
      await this.countActivity(customerId, row.timestamp);
      await this.onAttributed({ ...row, customerId, attribution: 'resolved-later' }, customerId);
    }
    // Rows first, then the list: if a store applies the batch only partly, the list is still there to redo.
    await this.uow.update<UnresolvedDoc>(UNRESOLVED, id, this.position, () => null);
    return resolved.filter((row) => row.callType === 'group');
  }

  async countActivity(customerId: string, timestamp: string): Promise<void> {
    await this.uow.update<CustomerDoc>(CUSTOMERS, docId(this.workspaceId, customerId), this.position, (doc) =>
      doc
        ? {
            ...doc,
            eventCount: doc.eventCount + 1,
            lastActivityAt: !doc.lastActivityAt || doc.lastActivityAt < timestamp ? timestamp : doc.lastActivityAt,
          }
        : undefined,
    );
  }

  private async movePending(from: string, to: string): Promise<void> {
    const pending = await this.uow.get<UnresolvedDoc>(UNRESOLVED, docId(this.workspaceId, from));
    if (!pending) return;
    for (const eventId of pending.eventIds) await this.addPending(to, eventId, pending.reason, pending.since);
    await this.uow.update<UnresolvedDoc>(UNRESOLVED, docId(this.workspaceId, from), this.position, () => null);
  }

  private async changeLink(
    identityKey: string,
    change: (link: Omit<IdentityLinkDoc, '_pos'>) => Omit<IdentityLinkDoc, '_pos'> | undefined,
  ): Promise<void> {
    const id = docId(this.workspaceId, identityKey);
    await this.uow.update<IdentityLinkDoc>(IDENTITY_LINKS, id, this.position, (doc) =>
      change(
        doc ?? { _id: id, workspaceId: this.workspaceId, identityKey, customerId: null, groupedAt: null, mergedInto: null },
      ),
    );
  }
}
