import { ComputedMap, engageComputationOf, mergeComputedMaps } from '../../domain/identity/engage';
import { applyToProfile } from '../../domain/identity/profile';
import { mergeTraitMaps, TraitMap } from '../../domain/identity/traits';
import type { SegmentCall } from '../../domain/segment/calls';
import type { AttributionListener } from '../attribution/attributionProjection';
import type { SegmentEventDoc } from '../attribution/documents';
import { canonicalKeyOf } from '../attribution/identityGraph';
import type { UnitOfWork } from '../unitOfWork';
import { PEOPLE, personId, PersonDoc, STAKEHOLDERS, stakeholderId, StakeholderDoc } from './documents';

type PersonFields = Omit<PersonDoc, '_pos'>;

/**
 * Stakeholders: the people seen with each customer, with their traits (identify, last write wins per trait by
 * Segment timestamp), identities, first/last seen and Engage audiences and computed traits. Follows attribution,
 * so a person's anonymous past counts once it is known whose it is; merges fold profiles together.
 */
export function createStakeholdersListener(): AttributionListener {
  return {
    collections: [
      { name: PEOPLE },
      { name: STAKEHOLDERS, indexes: [['workspaceId', 'customerId', 'lastSeenAt']] },
    ],

    async onAttributed(row, customerId, uow, position, call) {
      const ws = row.workspaceId;
      const personKey = await canonicalKeyOf(uow, ws, row.identityKeys[0]!);
      await uow.update<StakeholderDoc>(STAKEHOLDERS, stakeholderId(ws, customerId, personKey), position, (doc) => ({
        _id: stakeholderId(ws, customerId, personKey),
        workspaceId: ws,
        customerId,
        personKey,
        firstSeenAt: min(doc?.firstSeenAt, row.timestamp),
        lastSeenAt: max(doc?.lastSeenAt, row.timestamp),
        eventCount: (doc?.eventCount ?? 0) + 1,
        forgotten: false,
      }));
      await uow.update<PersonDoc>(PEOPLE, personId(ws, personKey), position, (doc) =>
        withCall(doc ?? emptyPerson(ws, personKey, row.timestamp), row, customerId, call),
      );
    },

    async onMerged(ws, fromKey, intoKey, uow, position) {
      const from = await uow.get<PersonDoc>(PEOPLE, personId(ws, fromKey));
      if (!from) return;
      for (const customerId of from.customerIds) {
        const membership = await uow.get<StakeholderDoc>(STAKEHOLDERS, stakeholderId(ws, customerId, fromKey));
        if (!membership) continue;
        await uow.update<StakeholderDoc>(STAKEHOLDERS, stakeholderId(ws, customerId, intoKey), position, (doc) => ({
          ...membership,
          _id: stakeholderId(ws, customerId, intoKey),
          personKey: intoKey,
          firstSeenAt: min(doc?.firstSeenAt, membership.firstSeenAt),
          lastSeenAt: max(doc?.lastSeenAt, membership.lastSeenAt),
          eventCount: (doc?.eventCount ?? 0) + membership.eventCount,
          forgotten: false,
        }));
        await uow.update<StakeholderDoc>(STAKEHOLDERS, membership._id, position, () => null);
      }
      await uow.update<PersonDoc>(PEOPLE, personId(ws, intoKey), position, (doc) => mergePeople(doc ?? { ...from, _id: personId(ws, intoKey), personKey: intoKey }, from));
      await uow.update<PersonDoc>(PEOPLE, from._id, position, () => null);
    },

    async onForgotten(ws, identityKeys, uow, position) {
      for (const key of identityKeys) await forget(uow, ws, key, position);
    },
  };
}

/** Removes the person's profile; their memberships stay as figures only (the customer's counts do not change). */
async function forget(uow: UnitOfWork, ws: string, personKey: string, position: number): Promise<void> {
  const person = await uow.get<PersonDoc>(PEOPLE, personId(ws, personKey));
  if (!person) return;
  for (const customerId of person.customerIds) {
    await uow.update<StakeholderDoc>(STAKEHOLDERS, stakeholderId(ws, customerId, personKey), position, (doc) =>
      doc ? { ...doc, forgotten: true } : undefined,
    );
  }
  await uow.update<PersonDoc>(PEOPLE, person._id, position, () => null);
}

function withCall(person: PersonFields, row: SegmentEventDoc, customerId: string, call: SegmentCall): PersonFields {
  // A person's traits come from identify calls; a group call's computation is the account's.
  const callTraits = call.type === 'identify' ? (call.traits as Record<string, unknown> | undefined) : undefined;
  const computation = call.type === 'group' ? undefined : engageComputationOf(call);
  // Most calls (track, page) change neither: the profile's JSON is then kept as it is, not parsed and rewritten.
  const profile = callTraits || computation ? profileWith(person, callTraits, computation, { at: row.timestamp, by: row._id }) : person;
  return {
    ...person,
    userIds: addTo(person.userIds, row.userId),
    anonymousIds: addTo(person.anonymousIds, row.anonymousId),
    customerIds: addTo(person.customerIds, customerId),
    traits: profile.traits,
    computed: profile.computed,
    firstSeenAt: min(person.firstSeenAt, row.timestamp),
    lastSeenAt: max(person.lastSeenAt, row.timestamp),
  };
}

function profileWith(
  person: Pick<PersonFields, 'traits' | 'computed'>,
  traits: Record<string, unknown> | undefined,
  computation: ReturnType<typeof engageComputationOf>,
  stamp: { at: string; by: string },
): Pick<PersonFields, 'traits' | 'computed'> {
  const profile = applyToProfile(
    { traits: JSON.parse(person.traits) as TraitMap, computed: JSON.parse(person.computed) as ComputedMap },
    traits,
    computation,
    stamp,
  );
  return { traits: JSON.stringify(profile.traits), computed: JSON.stringify(profile.computed) };
}

function mergePeople(into: PersonFields, from: PersonFields): PersonFields {
  const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].sort();
  return {
    ...into,
    userIds: union(into.userIds, from.userIds),
    anonymousIds: union(into.anonymousIds, from.anonymousIds),
    customerIds: union(into.customerIds, from.customerIds),
    traits: JSON.stringify(mergeTraitMaps(JSON.parse(into.traits) as TraitMap, JSON.parse(from.traits) as TraitMap)),
    computed: JSON.stringify(mergeComputedMaps(JSON.parse(into.computed) as ComputedMap, JSON.parse(from.computed) as ComputedMap)),
    firstSeenAt: min(into.firstSeenAt, from.firstSeenAt),
    lastSeenAt: max(into.lastSeenAt, from.lastSeenAt),
  };
}

const emptyPerson = (ws: string, personKey: string, at: string): PersonFields => ({
  _id: personId(ws, personKey),
  workspaceId: ws,
  personKey,
  userIds: [],
  anonymousIds: [],
  traits: '{}',
  computed: '{}',
  customerIds: [],
  firstSeenAt: at,
  lastSeenAt: at,
});

const addTo = (list: readonly string[], value: string | null) =>
  value === null || list.includes(value) ? list : [...list, value].sort();
const min = (a: string | undefined, b: string) => (a !== undefined && a < b ? a : b);
const max = (a: string | undefined, b: string) => (a !== undefined && a > b ? a : b);
