import type { FieldError } from '../domain/segment/fieldErrors';

/**
 * One step of one Segment call on its way through the service, as the live monitor shows it. A call passes
 * `received` then `stored` (or `rejected`), then `attributed` or `unresolved`, then `projected` by each further
 * read model, or `failed` when a projection dead-lettered it.
 */
export type LiveStage = 'received' | 'stored' | 'rejected' | 'attributed' | 'unresolved' | 'projected' | 'failed';

export interface LiveEventDraft {
  readonly workspaceId: string;
  readonly stage: LiveStage;
  readonly messageId: string | null;
  readonly eventId: string | null;
  readonly callType: string | null;
  /** Track event name, page/screen name or group id: what a person scanning the feed looks for. */
  readonly name: string | null;
  readonly userId: string | null;
  readonly anonymousId: string | null;
  readonly groupId: string | null;
  readonly customerId: string | null;
  /** The read model that reached this stage (attribution, signals...). */
  readonly projection: string | null;
  readonly errors: readonly FieldError[];
  /** Entry point (segment-webhook, ...), when known. */
  readonly source: string | null;
}

export interface LiveEvent extends LiveEventDraft {
  /** Increasing per process: lets a reconnecting client skip what it has seen (SSE Last-Event-ID). */
  readonly seq: number;
  readonly at: string;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const objectOf = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** What a live event says about a call (raw or decoded): its ids, type and display name. */
export function describeCall(raw: unknown): Pick<
  LiveEventDraft,
  'messageId' | 'callType' | 'name' | 'userId' | 'anonymousId' | 'groupId'
> {
  const call = objectOf(raw);
  const context = objectOf(call.context);
  const groupId = text(call.groupId) ?? text(context.groupId);
  const callType = text(call.type);
  return {
    messageId: text(call.messageId),
    callType,
    name: text(call.event) ?? text(call.name) ?? (callType === 'group' ? groupId : null),
    userId: text(call.userId),
    anonymousId: text(call.anonymousId),
    groupId,
  };
}

export const emptyDraft = (workspaceId: string, stage: LiveStage): LiveEventDraft => ({
  workspaceId,
  stage,
  messageId: null,
  eventId: null,
  callType: null,
  name: null,
  userId: null,
  anonymousId: null,
  groupId: null,
  customerId: null,
  projection: null,
  errors: [],
  source: null,
});
