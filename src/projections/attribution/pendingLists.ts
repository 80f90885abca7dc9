import type { UnitOfWork } from '../unitOfWork';
import { CUSTOMERS, CustomerDoc, docId, SEGMENT_EVENTS, SegmentEventDoc, UNRESOLVED, UnresolvedDoc, withoutPayload } from './documents';

/**
 * Calls that have no customer yet, listed by what they wait for (`identity:<key>` or `group:<groupId>`), and
 * their attribution once it is known. Admins see these lists (with the reason) until they are resolved.
 */
export class PendingLists {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly workspaceId: string,
    private readonly position: number,
    private readonly onAttributed: (row: SegmentEventDoc, customerId: string) => Promise<void>,
  ) {}

  async add(waitingFor: string, eventId: string, reason: string, since: string): Promise<void> {
    await this.uow.update<UnresolvedDoc>(UNRESOLVED, docId(this.workspaceId, waitingFor), this.position, (doc) => ({
      _id: docId(this.workspaceId, waitingFor),
      workspaceId: this.workspaceId,
      waitingFor,
      reason: doc?.reason ?? reason,
      eventIds: doc?.eventIds.includes(eventId) ? doc.eventIds : [...(doc?.eventIds ?? []), eventId],
      since: doc?.since && doc.since < since ? doc.since : since,
    }));
  }

  /**
   * Attributes the calls waiting for `waitingFor`, each to the customer `customerOf` picks for it, in their
   * Segment time order. Returns the group calls among them (their users now belong to the account).
   */
  async resolve(
    waitingFor: string,
    customerOf: (row: SegmentEventDoc) => Promise<string | null>,
  ): Promise<SegmentEventDoc[]> {
    const id = docId(this.workspaceId, waitingFor);
    const pending = await this.uow.get<UnresolvedDoc>(UNRESOLVED, id);
    if (!pending) return [];
    await this.uow.prefetch(SEGMENT_EVENTS, pending.eventIds);
    const rows: SegmentEventDoc[] = [];
    for (const eventId of pending.eventIds) {
      const row = await this.uow.get<SegmentEventDoc>(SEGMENT_EVENTS, eventId);
      if (row && !row.customerId) rows.push(row);
    }
    rows.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    const stillWaiting: string[] = [];
    const resolved: SegmentEventDoc[] = [];
    for (const row of rows) {
      const customerId = await customerOf(row);
      if (!customerId) {
        stillWaiting.push(row._id);
        continue;
      }
      const attributed: SegmentEventDoc = { ...row, customerId, attribution: 'resolved-later' };
      // Stored without its copy of the call (readers take it from the event store); the listeners below still
      // open it from this one.
      await this.uow.update<SegmentEventDoc>(SEGMENT_EVENTS, row._id, this.position, (current) =>
        current && !current.customerId ? withoutPayload(attributed) : undefined,
      );
      await this.countActivity(customerId, row.timestamp);
      await this.onAttributed({ ...attributed, _pos: this.position }, customerId);
      resolved.push(attributed);
    }
    // Rows first, then the list: if a store applies the batch only partly, the list is still there to redo.
    await this.uow.update<UnresolvedDoc>(UNRESOLVED, id, this.position, (doc) =>
      stillWaiting.length && doc ? { ...doc, eventIds: stillWaiting } : null,
    );
    return resolved.filter((row) => row.callType === 'group');
  }

  async move(from: string, to: string): Promise<void> {
    const pending = await this.uow.get<UnresolvedDoc>(UNRESOLVED, docId(this.workspaceId, from));
    if (!pending) return;
    for (const eventId of pending.eventIds) await this.add(to, eventId, pending.reason, pending.since);
    await this.uow.update<UnresolvedDoc>(UNRESOLVED, docId(this.workspaceId, from), this.position, () => null);
  }

  async countActivity(customerId: string, timestamp: string): Promise<void> {
    await this.uow.update<CustomerDoc>(CUSTOMERS, docId(this.workspaceId, customerId), this.position, (doc) =>
      doc
        ? {
            ...doc,
            eventCount: doc.eventCount + 1,
            lastActivityAt: !doc.lastActivityAt || doc.lastActivityAt < timestamp ? timestamp : doc.lastActivityAt,
            // A customer created from a group dates from its earliest call, whatever the arrival order.
            createdAt: doc.source === 'segment-group' && timestamp < doc.createdAt ? timestamp : doc.createdAt,
          }
        : undefined,
    );
  }
}
