import { computedView, ComputedMap } from '../../domain/identity/engage';
import { stringTrait, traitValues, TraitMap } from '../../domain/identity/traits';
import type { Doc, ReadStore } from '../../readstore/port';
import { ReadModelVersions } from '../readModelVersion';
import { PEOPLE, personId, PersonDoc, STAKEHOLDERS, StakeholderDoc } from './documents';

/** A customer's stakeholders for the API, most recently seen first. */
export class StakeholderQueries {
  constructor(
    private readonly readStore: ReadStore,
    private readonly versions: ReadModelVersions = ReadModelVersions.fixed('attribution'),
  ) {}

  private collection<T extends Doc>(name: string) {
    return this.readStore.collection<T>(this.versions.physicalName(name));
  }

  async ofCustomer(workspaceId: string, customerId: string, options: { limit: number; offset: number }) {
    const memberships = await (await this.collection<StakeholderDoc>(STAKEHOLDERS)).find(
      { workspaceId, customerId },
      { sort: [['lastSeenAt', -1], ['personKey', 1]], limit: options.limit, skip: options.offset },
    );
    const people = new Map(
      (await (await this.collection<PersonDoc>(PEOPLE)).getMany(memberships.map((m) => personId(workspaceId, m.personKey)))).map(
        (p) => [p.personKey, p],
      ),
    );
    return memberships.map((m) => stakeholderView(m, m.forgotten ? undefined : people.get(m.personKey)));
  }
}

function stakeholderView(membership: StakeholderDoc, person: PersonDoc | undefined) {
  const figures = {
    id: membership.personKey,
    firstSeenAt: membership.firstSeenAt,
    lastSeenAt: membership.lastSeenAt,
    eventCount: membership.eventCount,
  };
  if (!person) return { ...figures, forgotten: true };
  const traits = JSON.parse(person.traits) as TraitMap;
  const first = stringTrait(traits, 'firstName', 'first_name');
  const last = stringTrait(traits, 'lastName', 'last_name');
  return {
    ...figures,
    forgotten: false,
    email: stringTrait(traits, 'email') ?? null,
    name: stringTrait(traits, 'name') ?? ([first, last].filter(Boolean).join(' ') || null),
    title: stringTrait(traits, 'title') ?? null,
    phone: stringTrait(traits, 'phone') ?? null,
    identities: { userIds: person.userIds, anonymousIds: person.anonymousIds },
    traits: traitValues(traits),
    ...computedView(JSON.parse(person.computed) as ComputedMap),
  };
}
