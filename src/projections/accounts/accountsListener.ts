import { ComputedMap, engageComputationOf } from '../../domain/identity/engage';
import { applyToProfile } from '../../domain/identity/profile';
import { stringTrait, TraitMap } from '../../domain/identity/traits';
import type { AttributionListener } from '../attribution/attributionProjection';
import { CUSTOMERS, CustomerDoc, docId } from '../attribution/documents';
import { ACCOUNTS, AccountDoc } from './documents';

/**
 * Accounts: the Segment side of each customer, from the group calls attributed to it. A customer created from a
 * Segment group takes its name from the group's `name` trait (the newest one), so the name does not depend on
 * which call happened to arrive first.
 */
export function createAccountsListener(): AttributionListener {
  return {
    collections: [{ name: ACCOUNTS }],

    async onAttributed(row, customerId, uow, position, call) {
      if (row.callType !== 'group') return;
      if (call.type !== 'group') return;
      const stamp = { at: row.timestamp, by: row._id };
      const id = docId(row.workspaceId, customerId);
      let traits: TraitMap = {};
      await uow.update<AccountDoc>(ACCOUNTS, id, position, (doc) => {
        const profile = applyToProfile(
          { traits: JSON.parse(doc?.traits ?? '{}') as TraitMap, computed: JSON.parse(doc?.computed ?? '{}') as ComputedMap },
          (call.traits as Record<string, unknown> | undefined) ?? {},
          engageComputationOf(call),
          stamp,
        );
        traits = profile.traits;
        const computed = profile.computed;
        return { _id: id, workspaceId: row.workspaceId, customerId, traits: JSON.stringify(traits), computed: JSON.stringify(computed) };
      });
      const traitName = stringTrait(traits, 'name');
      if (!traitName) return;
      await uow.update<CustomerDoc>(CUSTOMERS, id, position, (doc) =>
        doc && doc.source === 'segment-group' && doc.name !== traitName ? { ...doc, name: traitName } : undefined,
      );
    },
  };
}
