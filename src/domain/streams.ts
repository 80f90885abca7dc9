/**
 * Stream names. The category (text before the first '-') is what EventStoreDB groups by and what projections
 * subscribe to; the workspace comes first in the id so that one workspace's streams share a prefix.
 */
export const CUSTOMER_CATEGORY = 'customer';
export const IDENTITY_CATEGORY = 'identity';
export const REJECTED_CATEGORY = 'rejected';

export const customerStream = (workspaceId: string, customerId: string): string =>
  `${CUSTOMER_CATEGORY}-${workspaceId}.${customerId}`;
export const identityStream = (workspaceId: string, identityKey: string): string =>
  `${IDENTITY_CATEGORY}-${workspaceId}.${identityKey}`;
/** Calls that failed decoding, kept as evidence for the dead-letter list. */
export const rejectedStream = (workspaceId: string): string => `${REJECTED_CATEGORY}-${workspaceId}`;

/** Streams that hold Segment calls, for subscriptions that read them all. */
export const SEGMENT_CALL_STREAM_PREFIXES = [`${CUSTOMER_CATEGORY}-`, `${IDENTITY_CATEGORY}-`];
