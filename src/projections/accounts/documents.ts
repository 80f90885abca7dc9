import type { ProjectedDoc } from '../unitOfWork';

export const ACCOUNTS = 'accounts';

/**
 * What Segment says about a customer as an account: its group traits (last write wins per trait by Segment
 * timestamp, whichever of its groups sent them) and its Engage account audiences and computed traits. JSON text,
 * because trait names are the customer's data. `_id`: `<ws>:<customerId>`.
 */
export interface AccountDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly customerId: string;
  /** JSON of a TraitMap. */
  readonly traits: string;
  /** JSON of a ComputedMap. */
  readonly computed: string;
}
