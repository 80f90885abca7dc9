import type { ProjectedDoc } from '../unitOfWork';

/** Collection names of the attribution read model. */
export const SEGMENT_EVENTS = 'segment_events';
export const CUSTOMERS = 'customers';
export const GROUP_LINKS = 'group_links';
export const IDENTITY_LINKS = 'identity_links';
export const UNRESOLVED = 'unresolved';

export type Attribution = 'explicit-group' | 'known-identity' | 'resolved-later' | 'unresolved';

/** One Segment call as the customer's event list shows it. `_id` is the event id. */
export interface SegmentEventDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly customerId: string | null;
  readonly attribution: Attribution;
  readonly identityKeys: readonly string[];
  readonly callType: string;
  /** Track event name, page/screen name, or group id: what a person scanning the list looks for. */
  readonly name: string | null;
  readonly messageId: string;
  readonly userId: string | null;
  readonly anonymousId: string | null;
  readonly timestamp: string;
  readonly receivedAt: string;
  /** timestamp then event id: a total order for newest-first paging. */
  readonly sortKey: string;
  readonly streamName: string;
  readonly position: number;
  /** The call as stored, as JSON text (customer keys such as `$browser` stay data in every store). */
  readonly payload: string;
}

export interface CustomerDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly customerId: string;
  readonly name: string | null;
  readonly groupIds: readonly string[];
  readonly domains: readonly string[];
  readonly source: 'segment-group' | 'registered';
  readonly createdAt: string;
  readonly eventCount: number;
  readonly lastActivityAt: string | null;
}

export interface GroupLinkDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly groupId: string;
  readonly customerId: string;
}

/** What is known about one identity (a userId or an anonymousId, hashed). */
export interface IdentityLinkDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly identityKey: string;
  /** The account the identity was last grouped with (newest Segment timestamp wins). */
  readonly customerId: string | null;
  readonly groupedAt: string | null;
  /** An anonymous or previous identity merged into a known user points at that user's key. */
  readonly mergedInto: string | null;
}

/** Events waiting for an identity (or an unlinked group) to be attributed. */
export interface UnresolvedDoc extends ProjectedDoc {
  readonly workspaceId: string;
  /** `identity:<key>` or `group:<groupId>`. */
  readonly waitingFor: string;
  readonly reason: string;
  readonly eventIds: readonly string[];
  readonly since: string;
}

export const docId = (workspaceId: string, id: string) => `${workspaceId}:${id}`;
