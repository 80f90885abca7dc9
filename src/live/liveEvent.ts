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
function describeCall(raw: unknown): Pick<
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

/** What a stage adds to a call's description. */
export type DraftDetails = Partial<Pick<LiveEventDraft, 'messageId' | 'eventId' | 'customerId' | 'projection' | 'errors' | 'source'>>;

/**
 * The draft of one stage of a call, built field by field: spreading a draft into a new object and adding fields
 * to it costs microseconds per event in V8, and ingestion makes two of these for every call.
 */
export function draftOf(workspaceId: string, stage: LiveStage, call: unknown, details: DraftDetails): LiveEventDraft {
  const described = describeCall(call);
  return {
    workspaceId,
    stage,
    messageId: details.messageId ?? described.messageId,
    eventId: details.eventId ?? null,
    callType: described.callType,
    name: described.name,
    userId: described.userId,
    anonymousId: described.anonymousId,
    groupId: described.groupId,
    customerId: details.customerId ?? null,
    projection: details.projection ?? null,
    errors: details.errors ?? [],
    source: details.source ?? null,
  };
}

/** The draft as published: numbered and dated (field by field, for the same reason as draftOf). */
export const stamped = (draft: LiveEventDraft, seq: number, at: string): LiveEvent => ({
  workspaceId: draft.workspaceId,
  stage: draft.stage,
  messageId: draft.messageId,
  eventId: draft.eventId,
  callType: draft.callType,
  name: draft.name,
  userId: draft.userId,
  anonymousId: draft.anonymousId,
  groupId: draft.groupId,
  customerId: draft.customerId,
  projection: draft.projection,
  errors: draft.errors,
  source: draft.source,
  seq,
  at,
});
