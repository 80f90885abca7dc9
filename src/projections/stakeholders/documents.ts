import type { ProjectedDoc } from '../unitOfWork';
import { joinedId } from '../../shared/joinedIds';

export const PEOPLE = 'people';
export const STAKEHOLDERS = 'stakeholders';

/**
 * A person (the canonical identity of the identity graph): their identify traits and Engage computations
 * (last write wins per key), their identities and the customers they were seen with. `_id`: `<ws>:<personKey>`.
 * Traits and computations are JSON text: customer trait names (`$x`, `a.b`) are data, not document keys.
 */
export interface PersonDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly personKey: string;
  readonly userIds: readonly string[];
  readonly anonymousIds: readonly string[];
  /** JSON of a TraitMap. */
  readonly traits: string;
  /** JSON of a ComputedMap. */
  readonly computed: string;
  readonly customerIds: readonly string[];
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
}

/** A person as a stakeholder of one customer. `_id`: `<ws>:<customerId>:<personKey>`. */
export interface StakeholderDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly customerId: string;
  readonly personKey: string;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  readonly eventCount: number;
  /** The person asked to be forgotten: the membership stays for the customer's figures, nothing personal does. */
  readonly forgotten: boolean;
}

export const personId = (workspaceId: string, personKey: string): string => joinedId(workspaceId, personKey);
export const stakeholderId = (workspaceId: string, customerId: string, personKey: string): string =>
  joinedId(joinedId(workspaceId, customerId), personKey);
