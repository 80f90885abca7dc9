import type { CustomerDirectory } from '../../commands/customerDirectory';
import { explicitGroupOf, identitiesOf } from '../../domain/routing';
import type { ReadStore } from '../../readstore/port';
import { ReadModelVersions } from '../readModelVersion';
import { docId, GROUP_LINKS, GroupLinkDoc, IDENTITY_LINKS, IdentityLinkDoc } from './documents';

/**
 * Answers ingestion's "who is this call's customer?" from the attribution read model, with one batched lookup
 * per collection and request.
 */
export function readModelCustomerDirectory(
  readStore: ReadStore,
  autoCreateCustomers: (workspaceId: string) => boolean,
  /** Which version of the collections to read (a replay builds a new one, then switches). */
  versions: ReadModelVersions = ReadModelVersions.fixed('attribution'),
): CustomerDirectory {
  return {
    async lookupFor(workspaceId, calls) {
      const groupIds = new Set<string>();
      const identityIds = new Set<string>();
      for (const call of calls) {
        const groupId = call.type === 'delete' ? undefined : explicitGroupOf(call);
        if (groupId !== undefined) groupIds.add(docId(workspaceId, groupId));
        for (const identity of identitiesOf(workspaceId, call)) identityIds.add(docId(workspaceId, identity.key));
      }
      const [groupLinks, identityLinks] = await Promise.all([
        groupIds.size ? readStore.collection<GroupLinkDoc>(versions.physicalName(GROUP_LINKS)).then((c) => c.getMany([...groupIds])) : [],
        identityIds.size ? readStore.collection<IdentityLinkDoc>(versions.physicalName(IDENTITY_LINKS)).then((c) => c.getMany([...identityIds])) : [],
      ]);
      const groups = new Map(groupLinks.map((l) => [l.groupId, l.customerId]));
      const identities = new Map(identityLinks.map((l) => [l.identityKey, l.customerId]));
      return {
        customerOfGroup: (groupId) => groups.get(groupId),
        customerOfIdentity: (key) => identities.get(key) ?? undefined,
        autoCreateCustomers: autoCreateCustomers(workspaceId),
      };
    },
  };
}
