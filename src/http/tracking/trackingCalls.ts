import { HttpError } from '../httpError';
import type { ParsedCalls } from '../webhook/parseCalls';

/** The calls Segment's HTTP Tracking API takes, one endpoint each (`POST /v1/<type>`). */
export const TRACKING_CALL_TYPES = ['track', 'identify', 'group', 'page', 'screen', 'alias'] as const;
export type TrackingCallType = (typeof TRACKING_CALL_TYPES)[number];

/**
 * The one call of `POST /v1/<type>`: the path sets `type` when the body lacks it; a body that says another type
 * is refused rather than filed under a type its sender did not mean.
 */
export function singleCallFor(pathType: TrackingCallType, parsed: ParsedCalls): unknown {
  if (parsed.isBatch) {
    throw new HttpError(400, 'not_a_single_call', `/v1/${pathType} takes one call object; send batches to /v1/batch`, {
      path: '(body)',
    });
  }
  const call = parsed.calls[0] as Record<string, unknown>;
  if (call.type === undefined) return { ...call, type: pathType };
  if (call.type !== pathType) {
    throw new HttpError(400, 'type_mismatch', `type is ${JSON.stringify(call.type)} but /v1/${pathType} takes ${pathType} calls`, {
      path: 'type',
    });
  }
  return call;
}

/** The calls of `POST /v1/batch`, which must be `{"batch": [...]}` (a bare array is taken too, as the webhook does). */
export function batchCalls(parsed: ParsedCalls): readonly unknown[] {
  if (!parsed.isBatch) {
    throw new HttpError(400, 'invalid_batch', 'batch must be an array of calls', { path: 'batch' });
  }
  // parseCalls has already taken any write key out of the calls.
  return parsed.calls;
}

/**
 * Segment's HTTP API answers 400 (not 413) when a call is over 32 KB or a batch over 500 KB, and its SDKs treat
 * 400 as final; the limits our shared body reader raises as 413 are answered the Segment way here.
 */
export function asSegmentLimitError(error: unknown): unknown {
  if (error instanceof HttpError && error.status === 413) {
    return new HttpError(400, error.code, error.message, error.details, error.headers);
  }
  return error;
}
