import type { CallType } from './segment/calls';
import type { FieldError } from './segment/fieldErrors';

/**
 * Event type names are explicit and versioned: a stored event never changes meaning. A new shape gets a new
 * version and the projections learn to read both.
 */
export const SEGMENT_CALL_EVENT_TYPES: Record<CallType, string> = {
  track: 'SegmentTrackReceived.v1',
  identify: 'SegmentIdentifyReceived.v1',
  group: 'SegmentGroupReceived.v1',
  page: 'SegmentPageReceived.v1',
  screen: 'SegmentScreenReceived.v1',
  alias: 'SegmentAliasReceived.v1',
  delete: 'SegmentUserDeletionRequested.v1',
};
export const SEGMENT_CALL_REJECTED = 'SegmentCallRejected.v1';

const callTypeByEventType = new Map(Object.entries(SEGMENT_CALL_EVENT_TYPES).map(([k, v]) => [v, k as CallType]));
export const callTypeOfEvent = (eventType: string): CallType | undefined => callTypeByEventType.get(eventType);

/** Metadata every stored Segment call carries. */
export interface SegmentCallMetadata {
  readonly workspaceId: string;
  readonly messageId: string;
  readonly receivedAt: string;
  /** The HTTP request that brought the call (one per batch). */
  readonly correlationId: string;
  /** What caused this event: the Segment message itself. */
  readonly causationId: string;
  /** Where the call was filed when it arrived; read models may attribute it differently later. */
  readonly filedUnder: { readonly customerId?: string; readonly identityKey?: string };
  readonly source: string;
}

export interface SegmentCallRejectedData {
  readonly index: number;
  readonly messageId?: string;
  readonly errors: readonly FieldError[];
  /** The call as it came, cut at 64 KiB. */
  readonly rawCall: string;
  readonly receivedAt: string;
  readonly correlationId: string;
  readonly source: string;
}
