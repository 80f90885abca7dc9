import type { SegmentCall } from '../domain/segment/calls';
import type { CustomerLookup } from '../domain/routing';

/**
 * What ingestion asks about customers before filing a batch of calls. Implementations read the attribution read
 * model; they may lag behind the log, which only affects which stream a call is filed in, never whether it is
 * attributed (the read models do that).
 */
export interface CustomerDirectory {
  lookupFor(workspaceId: string, calls: readonly SegmentCall[]): Promise<CustomerLookup>;
  /** Drops what it remembers of a removed workspace (a directory that remembers nothing has nothing to drop). */
  forgetWorkspace?(workspaceId: string): void;
}

/** A directory that knows nothing: every call without a linked group is filed under its identity. */
export const emptyCustomerDirectory = (autoCreateCustomers = true): CustomerDirectory => ({
  lookupFor: async () => ({
    customerOfGroup: () => undefined,
    customerOfIdentity: () => undefined,
    autoCreateCustomers,
  }),
});
