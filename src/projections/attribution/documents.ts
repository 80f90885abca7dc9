import type { SegmentCall } from '../../domain/segment/calls';
import type { ProjectedDoc } from '../unitOfWork';
import { joinedId } from '../../shared/joinedIds';

/** Collection names of the attribution read model. */
export const SEGMENT_EVENTS = 'segment_events';
export const CUSTOMERS = 'customers';
export const GROUP_LINKS = 'group_links';
export const IDENTITY_LINKS = 'identity_links';
export const UNRESOLVED = 'unresolved';
export const CUSTOMER_DOMAINS = 'customer_domains';
/** Unlinked groups and unattributed identities waiting for a customer with their domain. */
export const DOMAIN_WAITERS = 'domain_waiters';
export const MATCHING_SETTINGS = 'matching_settings';

export type Attribution = 'explicit-group' | 'known-identity' | 'email-domain' | 'resolved-later' | 'unresolved';

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
  /** Where the call is stored: the event store holds it, and the list reads it from there (see `payload`). */
  readonly streamName: string;
  /** The event's revision in its stream. Absent from rows written before rows stopped carrying the call. */
  readonly revision?: number;
  readonly position: number;
  /**
   * The call as stored, as JSON text, kept only while the row waits for a customer: attributing it later needs
   * the call, and the projection reads documents, not the event store. Attributed rows leave it out: it was a
   * second copy of every call (three fifths of a row's bytes; on a 1,000,000-event rebuild about a seventh of
   * the time), and readers take the call from the event store by stream and revision (`storedCalls`).
   * Personal data stays sealed here as in the event store; readers open it with the person's key.
   */
  readonly payload?: string;
}

/** The call of a row that waited for a customer, from the copy it keeps until then. */
export function waitingCallOf(row: SegmentEventDoc): SegmentCall {
  if (row.payload === undefined) throw new Error(`event ${row._id} was attributed without its call (no payload on a waiting row)`);
  return JSON.parse(row.payload) as SegmentCall;
}

/** The row as stored once attributed: without the copy of the call (see `payload`). */
export function withoutPayload(row: SegmentEventDoc): SegmentEventDoc {
  if (row.payload === undefined) return row;
  const { payload: _stored, ...rest } = row;
  return rest;
}

export interface CustomerDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly customerId: string;
  /** The registered name, or (for a customer created from a Segment group) the group id until traits name it. */
  readonly name: string | null;
  readonly groupIds: readonly string[];
  readonly domains: readonly string[];
  readonly externalIds: Readonly<Record<string, string>>;
  readonly source: 'segment-group' | 'registered';
  /** Registration time, or the Segment timestamp of the group's earliest call. */
  readonly createdAt: string;
  readonly eventCount: number;
  readonly lastActivityAt: string | null;
}

export type GroupLinkVia = 'registered' | 'linked' | 'auto-created' | 'group-domain' | 'email-domain';

export interface GroupLinkDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly groupId: string;
  readonly customerId: string;
  /** Which matching rule linked the group (README: customer matching). */
  readonly via?: GroupLinkVia;
}

/** One group call of an identity: the account it said the identity belongs to, and when (Segment time). */
export interface GroupMembership {
  readonly customerId: string;
  readonly at: string;
}

/** What is known about one identity (a userId or an anonymousId, hashed). */
export interface IdentityLinkDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly identityKey: string;
  /** The account it belongs to now: its newest group call's, else the one its email domain matched. */
  readonly customerId: string | null;
  /** Since when it has belonged to that account by group calls (the first call of the current run). */
  readonly groupedAt: string | null;
  /**
   * Its changes of account by group calls, in Segment time order (bounded): a call goes to the account in force at
   * its timestamp (see `withGroups`).
   */
  readonly groups?: readonly GroupMembership[];
  /** The company domain of its email (newest identify wins), and the customer that domain matched. */
  readonly emailDomain?: string | null;
  readonly emailDomainAt?: string | null;
  readonly emailCustomerId?: string | null;
  /** An anonymous or previous identity merged into a known user points at that user's key. */
  readonly mergedInto: string | null;
  /** The identities merged into this one (so a deletion finds every key of the person). */
  readonly mergedFrom?: readonly string[];
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

/** A company domain claimed by a registered customer. `_id` is `<workspace>:<domain>`. */
export interface CustomerDomainDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly domain: string;
  readonly customerId: string;
}

/** Who waits for a customer with this domain. `_id` is `<workspace>:<domain>`. */
export interface DomainWaitersDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly domain: string;
  readonly groupIds: readonly string[];
  readonly identityKeys: readonly string[];
}

/** The matching switches in force, as of the log position (from WorkspaceSettingsChanged events). */
export interface MatchingSettingsDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly matchEmailDomains: boolean;
  readonly matchFreeMailDomains: boolean;
}

export const docId = (workspaceId: string, id: string): string => joinedId(workspaceId, id);
