import type { CustomerFacts } from '../../commands/customers/customerCommands';
import { computedView, ComputedMap } from '../../domain/identity/engage';
import { domainCandidates } from '../../domain/identity/domains';
import { traitValues, TraitMap } from '../../domain/identity/traits';
import type { Doc, ReadStore } from '../../readstore/port';
import {
  CUSTOMER_DOMAINS,
  CustomerDomainDoc,
  CUSTOMERS,
  CustomerDoc,
  docId,
  GROUP_LINKS,
  GroupLinkDoc,
} from '../attribution/documents';
import { ReadModelVersions } from '../readModelVersion';
import { STAKEHOLDERS } from '../stakeholders/documents';
import { ACCOUNTS, AccountDoc } from './documents';

/** How many customers a name search looks through (a workspace has thousands of customers, not millions). */
const NAME_SEARCH_SCAN = 20_000;

/**
 * Reads of customers for the API: the customer view (registered facts, Segment traits, audiences, activity,
 * stakeholder count) and the look-ups by group, domain and name. All scoped to a workspace, all through the
 * current read-model version.
 */
export class CustomerQueries implements CustomerFacts {
  constructor(
    private readonly readStore: ReadStore,
    private readonly versions: ReadModelVersions = ReadModelVersions.fixed('attribution'),
  ) {}

  private collection<T extends Doc>(name: string) {
    return this.readStore.collection<T>(this.versions.physicalName(name));
  }

  async customer(workspaceId: string, customerId: string): Promise<CustomerDoc | null> {
    return (await this.collection<CustomerDoc>(CUSTOMERS)).get(docId(workspaceId, customerId));
  }

  /** A customer by its CSCX id or by a Segment group id linked to it. */
  async find(workspaceId: string, idOrGroupId: string): Promise<CustomerDoc | null> {
    return (await this.customer(workspaceId, idOrGroupId)) ?? this.byGroup(workspaceId, idOrGroupId);
  }

  async byGroup(workspaceId: string, groupId: string): Promise<CustomerDoc | null> {
    const owner = await this.ownerOfGroup(workspaceId, groupId);
    return owner ? this.customer(workspaceId, owner) : null;
  }

  /** The customer whose domain (or parent domain) this is: `app.acme.com` finds the owner of `acme.com`. */
  async byDomain(workspaceId: string, domain: string): Promise<CustomerDoc | null> {
    for (const candidate of domainCandidates(domain)) {
      const owner = await this.ownerOfDomain(workspaceId, candidate);
      if (owner) return this.customer(workspaceId, owner);
    }
    return null;
  }

  /** Customers whose name contains `q` (case-insensitive), by name. */
  async search(workspaceId: string, q: string | undefined, limit: number): Promise<CustomerDoc[]> {
    const customers = await this.collection<CustomerDoc>(CUSTOMERS);
    if (!q) return customers.find({ workspaceId }, { sort: [['name', 1]], limit });
    const needle = q.toLocaleLowerCase();
    const all = await customers.find({ workspaceId }, { sort: [['name', 1]], limit: NAME_SEARCH_SCAN });
    return all.filter((c) => (c.name ?? '').toLocaleLowerCase().includes(needle)).slice(0, limit);
  }

  /** The customer view: what a CSM opens. */
  async view(customer: CustomerDoc) {
    const [account, stakeholderCount] = await Promise.all([
      this.collection<AccountDoc>(ACCOUNTS).then((c) => c.get(customer._id)),
      this.collection(STAKEHOLDERS).then((c) => c.count({ workspaceId: customer.workspaceId, customerId: customer.customerId })),
    ]);
    const computed = computedView(JSON.parse(account?.computed ?? '{}') as ComputedMap);
    return {
      id: customer.customerId,
      name: customer.name,
      source: customer.source,
      groupIds: customer.groupIds,
      domains: customer.domains,
      externalIds: customer.externalIds ?? {},
      createdAt: customer.createdAt,
      eventCount: customer.eventCount,
      lastActivityAt: customer.lastActivityAt,
      stakeholderCount,
      segmentTraits: traitValues(JSON.parse(account?.traits ?? '{}') as TraitMap),
      audiences: computed.audiences,
      computedTraits: computed.computedTraits,
    };
  }

  async customerExists(workspaceId: string, customerId: string): Promise<boolean> {
    return (await this.customer(workspaceId, customerId)) !== null;
  }

  async ownerOfGroup(workspaceId: string, groupId: string): Promise<string | null> {
    return (await (await this.collection<GroupLinkDoc>(GROUP_LINKS)).get(docId(workspaceId, groupId)))?.customerId ?? null;
  }

  async ownerOfDomain(workspaceId: string, domain: string): Promise<string | null> {
    return (await (await this.collection<CustomerDomainDoc>(CUSTOMER_DOMAINS)).get(docId(workspaceId, domain)))?.customerId ?? null;
  }
}
