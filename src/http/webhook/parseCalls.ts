import { MAX_CALL_BYTES } from '../../domain/segment/decodeCall';
import { HttpError } from '../httpError';

export interface ParsedCalls {
  readonly calls: readonly unknown[];
  readonly isBatch: boolean;
  /** The body's `context`, which Segment's HTTP API batch applies to every call in it. */
  readonly batchContext?: Record<string, unknown>;
  readonly writeKey?: string;
  readonly callBytes: (index: number) => number;
  /** An array body's first element as received: what Segment's batching signs (see authenticateSender). */
  readonly firstCall?: unknown;
}

export interface CallLimits {
  /** Calls per request. */
  readonly maxCalls: number;
}

/**
 * Parses a body into Segment calls: one call (an object), a JSON array of calls (Webhooks (Actions) batching),
 * or `{"batch": [...]}` (the HTTP Tracking API). Whole-request problems are thrown as 4xx; problems of single
 * calls are left to the decoder so valid siblings are kept.
 */
export function parseCalls(raw: Buffer, contentType: string, limits: CallLimits): ParsedCalls {
  if (contentType && !/^application\/([\w.+-]*\+)?json\b|^text\/plain\b/i.test(contentType)) {
    throw new HttpError(415, 'unsupported_media_type', `Content-Type must be application/json, got ${contentType}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  }

  const writeKey = (o: Record<string, unknown>) => (typeof o.writeKey === 'string' ? o.writeKey : undefined);
  if (Array.isArray(body)) return { ...batch(body, raw.length, limits, undefined, undefined), firstCall: body[0] };
  if (typeof body === 'object' && body !== null) {
    const object = body as Record<string, unknown>;
    if ('batch' in object) {
      if (!Array.isArray(object.batch)) throw new HttpError(400, 'invalid_batch', 'batch must be an array of calls', { path: 'batch' });
      const context = object.context;
      const batchContext = typeof context === 'object' && context !== null && !Array.isArray(context) ? (context as Record<string, unknown>) : undefined;
      return batch(object.batch, raw.length, limits, batchContext, writeKey(object));
    }
    if (raw.length > MAX_CALL_BYTES) {
      throw new HttpError(413, 'call_too_large', `a single call may be at most ${MAX_CALL_BYTES} bytes; this one is ${raw.length}`);
    }
    return { calls: [withoutWriteKey(body)], isBatch: false, writeKey: writeKey(object), callBytes: () => raw.length };
  }
  throw new HttpError(400, 'invalid_body', 'the body must be a Segment call (object), an array of calls, or {"batch": [...]}');
}

function batch(
  calls: unknown[],
  bodyBytes: number,
  limits: CallLimits,
  batchContext: Record<string, unknown> | undefined,
  writeKey: string | undefined,
): ParsedCalls {
  if (calls.length > limits.maxCalls) {
    throw new HttpError(413, 'batch_too_large', `a batch may hold at most ${limits.maxCalls} calls; this one has ${calls.length}`);
  }
  const withContext = calls.map((call) =>
    batchContext && typeof call === 'object' && call !== null && !Array.isArray(call)
      ? withoutWriteKey({ ...call, context: { ...batchContext, ...((call as { context?: object }).context ?? {}) } })
      : withoutWriteKey(call),
  );
  // Measure only when a call could be over the limit: serializing every call of every batch would cost more than
  // the rest of ingestion. A body over the limit is most often many small calls: a cheap upper bound clears those,
  // and only a call whose bound passes the limit is serialized to measure it exactly.
  const sizes = new Map<number, number>();
  const callBytes = (index: number) => {
    if (bodyBytes <= MAX_CALL_BYTES) return bodyBytes;
    if (!sizes.has(index)) {
      const call = withContext[index];
      sizes.set(index, jsonBytesWithin(call, MAX_CALL_BYTES) ?? Buffer.byteLength(JSON.stringify(call) ?? ''));
    }
    return sizes.get(index)!;
  };
  return { calls: withContext, isBatch: true, batchContext, writeKey, callBytes };
}

/**
 * A write key sent in the body is a credential, not part of the call: it must not end up in the event store
 * and in every read of the customer's events.
 */
export function withoutWriteKey(call: unknown): unknown {
  if (typeof call !== 'object' || call === null || Array.isArray(call) || !('writeKey' in call)) return call;
  const { writeKey: _credential, ...rest } = call as Record<string, unknown>;
  return rest;
}

/**
 * An upper bound of `value`'s JSON size in bytes when that bound is within `limit`, else undefined. A string
 * counts six bytes per character (the longest escape, `\u0000`), so the bound holds whatever the text. Only
 * called on calls already known to nest at most MAX_NESTING_DEPTH levels deep.
 */
export function jsonBytesWithin(value: unknown, limit: number): number | undefined {
  let total = 0;
  const visit = (v: unknown): boolean => {
    if (typeof v === 'string') total += 6 * v.length + 2;
    else if (typeof v === 'object' && v !== null) {
      if (Array.isArray(v)) {
        total += 2 + v.length;
        for (const item of v) if (!visit(item)) return false;
      } else {
        total += 2;
        for (const key in v) {
          if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
          total += 6 * key.length + 4;
          if (!visit((v as Record<string, unknown>)[key])) return false;
        }
      }
    } else total += 24; // numbers, booleans, null (the longest number JSON writes is 24 characters)
    return total <= limit;
  };
  return visit(value) ? total : undefined;
}
