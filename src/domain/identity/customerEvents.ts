/**
 * Events of CSCX customers and of a workspace's matching settings. Customer events live in the customer's own
 * stream (`customer-<workspace>.<customerId>`), next to the Segment calls filed there; settings changes in
 * `workspace-<workspace>`. The attribution projection follows both, so matching replays exactly as it happened.
 */
export const CUSTOMER_REGISTERED = 'CustomerRegistered.v1';
export const SEGMENT_GROUP_LINKED = 'SegmentGroupLinked.v1';
export const WORKSPACE_SETTINGS_CHANGED = 'WorkspaceSettingsChanged.v1';

export const WORKSPACE_CATEGORY = 'workspace';
export const workspaceStream = (workspaceId: string) => `${WORKSPACE_CATEGORY}-${workspaceId}`;

export interface CustomerRegisteredData {
  readonly workspaceId: string;
  readonly customerId: string;
  readonly name: string;
  /** Normalised company domains (lower case, no `www.`). */
  readonly domains: readonly string[];
  readonly groupIds: readonly string[];
  readonly externalIds: Readonly<Record<string, string>>;
  readonly registeredAt: string;
}

export interface SegmentGroupLinkedData {
  readonly workspaceId: string;
  readonly customerId: string;
  readonly groupId: string;
  readonly linkedAt: string;
}

export interface MatchingSettings {
  /** A group call for an unknown group creates a customer (true) or waits for an admin to link it. */
  readonly autoCreateCustomers: boolean;
  /** A user's email domain matches customers' domains. */
  readonly matchEmailDomains: boolean;
  /** ... even when the domain is a free-mail provider's (gmail.com and the like). */
  readonly matchFreeMailDomains: boolean;
}

export const DEFAULT_MATCHING_SETTINGS: MatchingSettings = {
  autoCreateCustomers: true,
  matchEmailDomains: true,
  matchFreeMailDomains: false,
};

export interface WorkspaceSettingsChangedData {
  readonly workspaceId: string;
  readonly settings: MatchingSettings;
  readonly changedAt: string;
}
