import type { CustomerDirectory } from '../../commands/customerDirectory';
import { explicitGroupOf, identitiesOf } from '../../domain/routing';
import { ReadStore, ReadStoreUnavailableError } from '../../readstore/port';
import { CoalescingBatcher } from '../../shared/coalescingBatcher';
import { ReadModelVersions } from '../readModelVersion';
import { docId, GROUP_LINKS, GroupLinkDoc, IDENTITY_LINKS, IdentityLinkDoc } from './documents';

/**
 * Answers ingestion's "who is this call's customer?" from the attribution read model. Lookups of concurrent
 * requests are coalesced: one `getMany` per collection serves every request waiting at that moment, so a remote
 * read store costs a round trip per batch of requests rather than two per request.
 */
export function readModelCustomerDirectory(
  readStore: ReadStore,
  autoCreateCustomers: (workspaceId: string) => boolean,
  /** Which version of the collections to read (a replay builds a new one, then switches). */
  versions: ReadModelVersions = ReadModelVersions.fixed('attribution'),
): CustomerDirectory {
  const links = new CoalescingBatcher(async (requests: LinkRequest[]) => {
    const groupIds = [...new Set(requests.flatMap((r) => r.groupDocIds))];
    const identityIds = [...new Set(requests.flatMap((r) => r.identityDocIds))];
    const [groupLinks, identityLinks] = await Promise.all([
      groupIds.length ? readStore.collection<GroupLinkDoc>(versions.physicalName(GROUP_LINKS)).then((c) => c.getMany(groupIds)) : [],
      identityIds.length ? readStore.collection<IdentityLinkDoc>(versions.physicalName(IDENTITY_LINKS)).then((c) => c.getMany(identityIds)) : [],
    ]);
    const found: FoundLinks = {
      groups: new Map(groupLinks.map((l) => [l._id, l.customerId])),
      identities: new Map(identityLinks.map((l) => [l._id, l.customerId])),
    };
    return requests.map(() => found);
  });

  return {
    async lookupFor(workspaceId, calls) {
      const groupDocIds = new Set<string>();
      const identityDocIds = new Set<string>();
      for (const call of calls) {
        const groupId = call.type === 'delete' ? undefined : explicitGroupOf(call);
        if (groupId !== undefined) groupDocIds.add(docId(workspaceId, groupId));
        for (const identity of identitiesOf(workspaceId, call)) identityDocIds.add(docId(workspaceId, identity.key));
      }
      const found =
        groupDocIds.size || identityDocIds.size
          ? await links.submit({ groupDocIds: [...groupDocIds], identityDocIds: [...identityDocIds] }).catch(unknownWhenUnavailable)
          : NOTHING_KNOWN;
      return {
        customerOfGroup: (groupId) => found.groups.get(docId(workspaceId, groupId)),
        customerOfIdentity: (key) => found.identities.get(docId(workspaceId, key)) ?? undefined,
        autoCreateCustomers: autoCreateCustomers(workspaceId),
      };
    },
  };
}

interface LinkRequest {
  readonly groupDocIds: readonly string[];
  readonly identityDocIds: readonly string[];
}

interface FoundLinks {
  readonly groups: ReadonlyMap<string, string>;
  readonly identities: ReadonlyMap<string, string | null>;
}

const NOTHING_KNOWN: FoundLinks = { groups: new Map(), identities: new Map() };

/**
 * The read models being down pauses projections, not ingestion: calls are then filed by what they say themselves
 * (their group, else their identity), and attribution sorts them out once the projections resume.
 */
function unknownWhenUnavailable(error: unknown): FoundLinks {
  if (error instanceof ReadStoreUnavailableError) return NOTHING_KNOWN;
  throw error;
}
