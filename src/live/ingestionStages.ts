import type { IngestRequest, IngestSummary } from '../commands/ingestSegmentCalls';
import { describeCall, emptyDraft, LiveEventDraft } from './liveEvent';

/** Every call of a request, as received (before it is decoded or stored). */
export function receivedStages(request: IngestRequest): LiveEventDraft[] {
  return request.calls.map((raw) => ({
    ...emptyDraft(request.workspaceId, 'received'),
    ...describeCall(raw),
    source: request.source,
  }));
}

/** What ingestion made of a request: each stored call, and each rejected one with its field errors. */
export function ingestedStages(request: IngestRequest, summary: IngestSummary): LiveEventDraft[] {
  const stored = summary.stored.map((call) => ({
    ...emptyDraft(request.workspaceId, 'stored'),
    ...describeCall(call.call),
    eventId: call.eventId,
    customerId: customerOfStream(call.streamName),
    source: request.source,
  }));
  const rejected = summary.rejected.map((rejection) => ({
    ...emptyDraft(request.workspaceId, 'rejected'),
    ...describeCall(request.calls[rejection.index]),
    messageId: rejection.messageId ?? describeCall(request.calls[rejection.index]).messageId,
    errors: rejection.errors,
    source: request.source,
  }));
  return [...stored, ...rejected];
}

/** `customer-<workspace>.<customerId>`: the customer the call was filed under at receipt, if any. */
function customerOfStream(streamName: string): string | null {
  const match = /^customer-[A-Za-z0-9_]+\.(.+)$/.exec(streamName);
  return match ? match[1]! : null;
}
