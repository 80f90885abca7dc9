import type { ReadStore } from '../../readstore/port';
import { ReadModelVersions } from '../readModelVersion';
import { CUSTOMERS, CustomerDoc, docId, GROUP_LINKS, GroupLinkDoc, SEGMENT_EVENTS, SegmentEventDoc } from './documents';

/** Reads of the attribution read model, for the HTTP API. Every one is scoped to a workspace. */
export class AttributionQueries {
  constructor(
    private readonly readStore: ReadStore,
    /** Which version of the collections reads use (a replay builds a new one, then switches). */
    private readonly versions: ReadModelVersions = ReadModelVersions.fixed('attribution'),
  ) {}

  /** A customer by its CSCX id or by a Segment group id linked to it. */
  async findCustomer(workspaceId: string, idOrGroupId: string): Promise<CustomerDoc | null> {
    const customers = await this.readStore.collection<CustomerDoc>(this.versions.physicalName(CUSTOMERS));
    const direct = await customers.get(docId(workspaceId, idOrGroupId));
    if (direct) return direct;
    const link = await (await this.readStore.collection<GroupLinkDoc>(this.versions.physicalName(GROUP_LINKS))).get(docId(workspaceId, idOrGroupId));
    return link ? customers.get(docId(workspaceId, link.customerId)) : null;
  }

  async customerByGroup(workspaceId: string, groupId: string): Promise<CustomerDoc | null> {
    const link = await (await this.readStore.collection<GroupLinkDoc>(this.versions.physicalName(GROUP_LINKS))).get(docId(workspaceId, groupId));
    if (!link) return null;
    return (await this.readStore.collection<CustomerDoc>(this.versions.physicalName(CUSTOMERS))).get(docId(workspaceId, link.customerId));
  }

  async listCustomers(workspaceId: string, limit: number): Promise<CustomerDoc[]> {
    return (await this.readStore.collection<CustomerDoc>(this.versions.physicalName(CUSTOMERS))).find({ workspaceId }, { sort: [['name', 1]], limit });
  }

  /** A customer's events, newest first (by Segment timestamp), after an optional cursor. */
  async customerEvents(
    workspaceId: string,
    customerId: string,
    options: { limit: number; before?: string; callType?: string },
  ): Promise<SegmentEventDoc[]> {
    const events = await this.readStore.collection<SegmentEventDoc>(this.versions.physicalName(SEGMENT_EVENTS));
    return events.find(
      {
        workspaceId,
        customerId,
        callType: options.callType,
        sortKey: options.before ? { $lt: options.before } : undefined,
      },
      { sort: [['sortKey', -1]], limit: options.limit },
    );
  }
}
