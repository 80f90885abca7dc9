import type { IngestRequest, IngestSummary } from '../commands/ingestSegmentCalls';
import { draftOf, LiveEventDraft } from './liveEvent';

/** Every call of a request, as received (before it is decoded or stored). */
export function receivedStages(request: IngestRequest): LiveEventDraft[] {
  return request.calls.map((raw) => draftOf(request.workspaceId, 'received', raw, { source: request.source }));
}

/** What ingestion made of a request: each stored call, and each rejected one with its field errors. */
export function ingestedStages(request: IngestRequest, summary: IngestSummary): LiveEventDraft[] {
  const drafts: LiveEventDraft[] = [];
  for (const call of summary.stored) {
    drafts.push(
      draftOf(request.workspaceId, 'stored', call.call, {
        eventId: call.eventId,
        customerId: customerOfStream(call.streamName),
        source: request.source,
      }),
    );
  }
  for (const rejection of summary.rejected) {
    drafts.push(
      draftOf(request.workspaceId, 'rejected', request.calls[rejection.index], {
        messageId: rejection.messageId,
        errors: rejection.errors,
        source: request.source,
      }),
    );
  }
  return drafts;
}

/** `customer-<workspace>.<customerId>`: the customer the call was filed under at receipt, if any. */
function customerOfStream(streamName: string): string | null {
  const match = /^customer-[A-Za-z0-9_]+\.(.+)$/.exec(streamName);
  return match ? match[1]! : null;
}
