import type { Doc } from '../readstore/port';

export const WORKSPACES = 'workspaces';
export const DEFAULT_WORKSPACE_ID = 'default';

export interface WriteKey {
  readonly key: string;
  readonly createdAt: string;
  /** A rotated-out key keeps working until then, so senders can switch without losing calls. */
  readonly expiresAt?: string;
}

/** A tenant: its own streams, read models and credentials. */
export interface WorkspaceDoc extends Doc {
  readonly name: string;
  readonly writeKeys: readonly WriteKey[];
  readonly sharedSecret: string;
  readonly adminToken: string;
  readonly settings: WorkspaceSettings;
  readonly createdAt: string;
}

export interface WorkspaceSettings {
  /** A group call for a group no customer is linked to creates a customer (true) or waits for an admin (false). */
  readonly autoCreateCustomers: boolean;
  /** A user's email domain matches customers' domains (customer matching, see README). */
  readonly matchEmailDomains: boolean;
  /** ... even for free-mail providers (gmail.com and the like). */
  readonly matchFreeMailDomains: boolean;
}

export const DEFAULT_SETTINGS: WorkspaceSettings = { autoCreateCustomers: true, matchEmailDomains: true, matchFreeMailDomains: false };

/** Workspace ids appear in stream names: keep them to letters, digits and underscores. */
export const WORKSPACE_ID = /^[A-Za-z0-9_]{1,64}$/;
