import type { ProjectedDoc } from '../unitOfWork';

/** Collection names of the signals read model (versioned with attribution: a rebuild writes new ones). */
export const SIGNALS = 'signals';
export const SIGNAL_MAPPINGS = 'signal_mappings';

/** One signal, made from one Segment event. `_id` is the event id: a redelivered event is the same signal. */
export interface SignalDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly customerId: string;
  readonly eventId: string;
  readonly messageId: string;
  readonly eventName: string;
  readonly signalType: string;
  readonly weight: number;
  readonly ruleId: string;
  /** The mapping version that produced the signal (0: the shipped defaults). */
  readonly mappingVersion: number;
  /** The hashed identity of who did it (no personal data: a Segment delete leaves signals nothing to erase). */
  readonly identityKey: string | null;
  /** Segment timestamp of the event. */
  readonly timestamp: string;
  /** timestamp then event id: a total order for newest-first paging. */
  readonly sortKey: string;
  /** The properties the rule keeps, as JSON text (values may hold keys no store accepts). */
  readonly properties: string;
}

/** The rule set a version of the read model maps with, per workspace. `_id` is the workspace id. */
export interface MappingsInForceDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly version: number;
  /** The rules as JSON text. */
  readonly rules: string;
}
