import type { PersonalDataCipher } from '../privacy/personalDataCipher';
import { createAccountsListener } from './accounts/accountsListener';
import { createAttributionProjection } from './attribution/attributionProjection';
import { rejectedCallsProjection } from './deadLetters/rejectedCallsProjection';
import type { Projection } from './projection';
import { createSignalsListener } from './signals/signalsListener';
import { createStakeholdersListener } from './stakeholders/stakeholdersListener';

/** The projections the service runs. Built the same way on the service's thread and on the projector thread. */
export interface ServiceProjections {
  /** Attribution and the read models that follow it, rebuilt together in versions (see src/replay). */
  readonly attribution: Projection;
  /** Projections with one version only. */
  readonly others: readonly Projection[];
}

export function serviceProjections(cipher: PersonalDataCipher): ServiceProjections {
  return {
    attribution: createAttributionProjection(
      [createSignalsListener(), createStakeholdersListener(), createAccountsListener()],
      { cipher },
    ),
    others: [rejectedCallsProjection],
  };
}
