import type { CustomerDirectory } from '../../commands/customerDirectory';
import { explicitGroupOf, identitiesOf } from '../../domain/routing';
import { ReadStore, ReadStoreUnavailableError } from '../../readstore/port';
import { CoalescingBatcher } from '../../shared/coalescingBatcher';
import { ReadModelVersions } from '../readModelVersion';
import { docId, GROUP_LINKS, GroupLinkDoc, IDENTITY_LINKS, IdentityLinkDoc } from './documents';

/**
 * Answers ingestion's "who is this call's customer?" from the attribution read model. Lookups of concurrent
 * requests are coalesced: one `getMany` per collection serves every request waiting at that moment, so a remote
 * read store costs a round trip per batch of requests rather than two per request. Answers are remembered for
 * a moment (`LINK_TTL_MS`): filing is only locality (see routeCall), so a link learnt a second late files a few
 * calls in their identity's stream instead of their customer's, and attribution still puts them right.
 */
export function readModelCustomerDirectory(
  readStore: ReadStore,
  autoCreateCustomers: (workspaceId: string) => boolean,
  /** Which version of the collections to read (a replay builds a new one, then switches). */
  versions: ReadModelVersions = ReadModelVersions.fixed('attribution'),
  clock: () => number = Date.now,
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

  const groupAnswers = new AnswersByWorkspace();
  const identityAnswers = new AnswersByWorkspace();

  return {
    async lookupFor(workspaceId, calls) {
      const now = clock();
      const groups = groupAnswers.of(workspaceId);
      const identities = identityAnswers.of(workspaceId);
      // Asked by the ids themselves (no `${workspace}:${id}` string per call to build and hash): document ids are
      // made only for what is not remembered.
      let groupIds: Set<string> | undefined;
      let identityKeys: Set<string> | undefined;
      for (const call of calls) {
        const groupId = call.type === 'delete' ? undefined : explicitGroupOf(call);
        if (groupId !== undefined && !groups.knows(groupId, now)) (groupIds ??= new Set()).add(groupId);
        for (const identity of identitiesOf(workspaceId, call)) {
          if (!identities.knows(identity.key, now)) (identityKeys ??= new Set()).add(identity.key);
        }
      }
      if (groupIds || identityKeys) {
        const groupDocIds = [...(groupIds ?? [])].map((id) => docId(workspaceId, id));
        const identityDocIds = [...(identityKeys ?? [])].map((key) => docId(workspaceId, key));
        const found = await links.submit({ groupDocIds, identityDocIds }).catch(unknownWhenUnavailable);
        // Only answers the store gave are remembered: an outage's "nothing known" is asked again next time (and
        // meanwhile an older answer, if any, still files the call).
        if (found !== NOTHING_KNOWN) {
          for (const id of groupIds ?? []) groups.remember(id, found.groups.get(docId(workspaceId, id)), now);
          for (const key of identityKeys ?? []) identities.remember(key, found.identities.get(docId(workspaceId, key)) ?? undefined, now);
        }
      }
      return {
        customerOfGroup: (groupId) => groups.answer(groupId),
        customerOfIdentity: (key) => identities.answer(key),
        autoCreateCustomers: autoCreateCustomers(workspaceId),
      };
    },
    forgetWorkspace(workspaceId) {
      groupAnswers.forget(workspaceId);
      identityAnswers.forget(workspaceId);
    },
  };
}

/** How long a routing answer (a customer, or none) is reused before the read model is asked again. */
const LINK_TTL_MS = 2000;
const MAX_REMEMBERED = 100_000;

/** Recent answers of each workspace. */
class AnswersByWorkspace {
  private readonly byWorkspace = new Map<string, RecentAnswers>();
  of(workspaceId: string): RecentAnswers {
    let answers = this.byWorkspace.get(workspaceId);
    if (!answers) this.byWorkspace.set(workspaceId, (answers = new RecentAnswers()));
    return answers;
  }
  forget(workspaceId: string): void {
    this.byWorkspace.delete(workspaceId);
  }
}

/** Recent answers of one workspace by group id or identity key, oldest forgotten first. */
class RecentAnswers {
  private readonly answers = new Map<string, { customerId: string | undefined; at: number }>();

  knows(id: string, now: number): boolean {
    const entry = this.answers.get(id);
    return entry !== undefined && now - entry.at < LINK_TTL_MS;
  }

  answer(id: string): string | undefined {
    return this.answers.get(id)?.customerId;
  }

  remember(id: string, customerId: string | undefined, now: number): void {
    this.answers.delete(id);
    this.answers.set(id, { customerId, at: now });
    if (this.answers.size > MAX_REMEMBERED) this.answers.delete(this.answers.keys().next().value!);
  }
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
