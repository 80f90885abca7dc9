import { MultiStatusResponse } from '@segment/actions-core';
import type { JSONLikeObject, RequestClient } from '@segment/actions-core';
import { endpointUrl, Settings, WEBHOOK_PATH } from './settings';

export type CallType = 'track' | 'identify' | 'group' | 'page' | 'screen';

/** What an action's fields map an event to (each action has a subset of these). */
export interface MappedCall {
  messageId: string;
  timestamp: string;
  userId?: string | null;
  anonymousId?: string | null;
  context?: Record<string, unknown>;
  groupId?: string | null;
  event?: string;
  name?: string;
  category?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  enable_batching?: boolean;
  batch_size?: number;
}

/** The CSCX.AI webhook's answer: how many calls it stored, and which it refused and why. */
interface WebhookSummary {
  accepted: number;
  duplicates: number;
  rejected: { index: number; messageId?: string; errors: { path: string; message: string }[] }[];
}

/**
 * The Segment call the webhook takes, built from the mapped fields. A mapped account goes where the webhook
 * reads it: `groupId` on a group call, `context.groupId` on the others.
 */
export function toSegmentCall(type: CallType, payload: MappedCall): JSONLikeObject {
  const { enable_batching: _batching, batch_size: _size, groupId, userId, anonymousId, ...fields } = payload;
  const call: Record<string, unknown> = { type, ...fields };
  if (userId) call.userId = userId;
  if (anonymousId) call.anonymousId = anonymousId;
  if (type === 'group') call.groupId = groupId;
  else if (groupId) call.context = { ...fields.context, groupId };
  return JSON.parse(JSON.stringify(call)) as JSONLikeObject; // drops the fields a mapping left undefined
}

export function deliverOne(request: RequestClient, settings: Settings, type: CallType, payload: MappedCall) {
  return request(endpointUrl(settings, WEBHOOK_PATH), { method: 'post', json: toSegmentCall(type, payload) });
}

/**
 * One request per batch. The webhook keeps a batch's valid calls and names the invalid ones by index, so Segment
 * is told per event: refused events are not retried and show their reason in Segment's delivery overview. A
 * batch the webhook refuses whole (every call invalid, 400) or cannot take now (5xx, 429) throws, and Segment's
 * retry rules apply to the batch.
 */
export async function deliverBatch(
  request: RequestClient,
  settings: Settings,
  type: CallType,
  payloads: MappedCall[],
): Promise<MultiStatusResponse> {
  const calls = payloads.map((payload) => toSegmentCall(type, payload));
  const response = await request<WebhookSummary>(endpointUrl(settings, WEBHOOK_PATH), { method: 'post', json: calls });
  const refused = new Map((response.data?.rejected ?? []).map((rejection) => [rejection.index, rejection]));
  const statuses = new MultiStatusResponse();
  calls.forEach((call, index) => {
    const rejection = refused.get(index);
    if (rejection) {
      statuses.setErrorResponseAtIndex(index, {
        status: 400,
        errortype: 'PAYLOAD_VALIDATION_FAILED',
        errormessage: rejection.errors.map((error) => `${error.path}: ${error.message}`).join('; '),
        sent: call,
        body: JSON.stringify(rejection),
      });
    } else {
      statuses.setSuccessResponseAtIndex(index, { status: 200, sent: call, body: 'stored' });
    }
  });
  return statuses;
}
