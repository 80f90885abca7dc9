import type { SegmentCall } from '../domain/segment/calls';
import type { CustomerLookup } from '../domain/routing';

/**
 * What ingestion asks about customers before filing a batch of calls. Implementations read the attribution read
 * model; they may lag behind the log, which only affects which stream a call is filed in, never whether it is
 * attributed (the read models do that).
 */
export interface CustomerDirectory {
  lookupFor(workspaceId: string, calls: readonly SegmentCall[]): Promise<CustomerLookup>;
}

/** A directory that knows nothing: every call without a linked group is filed under its identity. */
export const emptyCustomerDirectory = (autoCreateCustomers = true): CustomerDirectory => ({
  lookupFor: async () => ({
    customerOfGroup: () => undefined,
    customerOfIdentity: () => undefined,
    autoCreateCustomers,
  }),
});

/**
 * A directory made anew by `renew()`, which drops every answer the old one remembered: what a removed workspace
 * leaves behind. The read-model directory reuses an answer for two seconds, so the other workspaces' cost one read
 * of the read model again (removals are rare).
 */
export function renewableDirectory(make: () => CustomerDirectory): CustomerDirectory & { renew(): void } {
  let current = make();
  return {
    lookupFor: (workspaceId, calls) => current.lookupFor(workspaceId, calls),
    renew: () => {
      current = make();
    },
  };
}
