import { isLeft } from 'fp-ts/Either';
import { createHash } from 'node:crypto';
import { CALL_TYPES, callCodecs, CallType, SegmentCall } from './calls';
import { FieldError, fieldErrorsOf } from './fieldErrors';
import { isoFormatter } from '../../shared/isoTime';

/** Segment's limit for one call; larger calls are refused whole (413) or, inside a batch, rejected one by one. */
export const MAX_CALL_BYTES = 32 * 1024;
/** Deeper payloads are not product usage but abuse, and would make every later read of them expensive. */
export const MAX_NESTING_DEPTH = 32;

export type DecodeResult =
  | { readonly ok: true; readonly call: SegmentCall }
  | { readonly ok: false; readonly messageId?: string; readonly errors: readonly FieldError[] };

/**
 * Decodes one Segment call and normalises it: every call leaves with a messageId and a timestamp. Pure: the
 * receipt time is an argument.
 *
 * `sizeOf` measures the call as JSON; it is asked only once the call is known to be a sanely nested object.
 */
export function decodeCall(input: unknown, receivedAt: Date, sizeOf: () => number): DecodeResult {
  const messageId = messageIdOf(input);
  const fail = (errors: FieldError[]): DecodeResult => ({ ok: false, messageId, errors });

  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail([{ path: '(call)', message: 'expected a Segment call object' }]);
  }
  const tooDeep = firstPathDeeperThan(input, MAX_NESTING_DEPTH);
  if (tooDeep) return fail([{ path: tooDeep, message: `nested deeper than ${MAX_NESTING_DEPTH} levels` }]);
  const bytes = sizeOf();
  if (bytes > MAX_CALL_BYTES) {
    return fail([{ path: '(call)', message: `call is ${bytes} bytes; the limit is ${MAX_CALL_BYTES}` }]);
  }

  const type = (input as { type?: unknown }).type;
  if (typeof type !== 'string' || !(CALL_TYPES as string[]).includes(type)) {
    return fail([{ path: 'type', message: `expected one of ${CALL_TYPES.join(', ')}, got ${JSON.stringify(type ?? null)}` }]);
  }
  const codec = callCodecs[type as CallType];
  let call: Record<string, unknown>;
  // A call that needs no change passes `is` (see primitives.ts), and decoding would return it as it is: io-ts's
  // decode builds a context entry per field, a fifth of ingestion's garbage. Only the others are decoded.
  if (codec.is(input)) call = input as Record<string, unknown>;
  else {
    const decoded = codec.decode(input);
    if (isLeft(decoded)) return fail(fieldErrorsOf(decoded.left));
    call = decoded.right as Record<string, unknown>;
  }
  if (call.userId === undefined && call.anonymousId === undefined) {
    return fail([{ path: 'userId', message: 'userId or anonymousId is required' }]);
  }
  return { ok: true, call: normalise(call, input, receivedAt) };
}

function normalise(call: Record<string, unknown>, raw: object, receivedAt: Date): SegmentCall {
  const received = receiptIso(receivedAt.getTime());
  // Copied key by key: a spread followed by a key the call lacks (receivedAt, usually) is several times slower.
  const out: Record<string, unknown> = {};
  for (const key in call) {
    if (!Object.prototype.hasOwnProperty.call(call, key)) continue;
    // A JSON key named __proto__ is data: assigning it would set the copy's prototype instead.
    if (key === '__proto__') Object.defineProperty(out, key, { value: call[key], enumerable: true, writable: true, configurable: true });
    else out[key] = call[key];
  }
  out.messageId = (call.messageId as string | undefined) ?? contentMessageId(raw);
  out.timestamp = chronologicalTimestamp(call, received);
  out.receivedAt = received;
  return out as SegmentCall;
}

/** The calls of one request share their receipt time: it is formatted once, not once per call. */
const receiptIso = isoFormatter();

/**
 * Segment's own rule: timestamp = receivedAt - (sentAt - originalTimestamp), which corrects device clocks. A call
 * with none of these happened when we received it.
 */
function chronologicalTimestamp(call: Record<string, unknown>, receivedAt: string): string {
  if (typeof call.timestamp === 'string') return canonicalIso(call.timestamp);
  const original = typeof call.originalTimestamp === 'string' ? Date.parse(call.originalTimestamp) : NaN;
  const sent = typeof call.sentAt === 'string' ? Date.parse(call.sentAt) : NaN;
  if (!Number.isNaN(original) && !Number.isNaN(sent)) {
    return new Date(Date.parse(receivedAt) - (sent - original)).toISOString();
  }
  return Number.isNaN(original) ? receivedAt : new Date(original).toISOString();
}

/**
 * `new Date(timestamp).toISOString()` for a timestamp already known to parse. Most SDKs send exactly that form
 * already; such a string is its own answer, unless its day or hour would roll over (February 30th, 24:00).
 */
const CANONICAL_ISO = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
function canonicalIso(timestamp: string): string {
  const parts = CANONICAL_ISO.exec(timestamp);
  if (parts && Number(parts[3]) <= daysInMonth(Number(parts[1]), Number(parts[2]))) return timestamp;
  return new Date(timestamp).toISOString();
}

const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/**
 * Calls from hand-written clients may lack a messageId. The id is then derived from the content, so a retry of
 * the same call is still recognised as a duplicate.
 */
function contentMessageId(raw: object): string {
  return 'content-' + createHash('sha256').update(JSON.stringify(raw)).digest('hex').slice(0, 40);
}

function messageIdOf(input: unknown): string | undefined {
  const id = typeof input === 'object' && input !== null ? (input as { messageId?: unknown }).messageId : undefined;
  return typeof id === 'string' ? id.slice(0, 100) : undefined;
}

/** The dotted path where `value` nests deeper than `limit`, if it does; allocates a path only on the way out. */
function firstPathDeeperThan(value: unknown, limit: number, depth = 0): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= limit) return '';
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const below = firstPathDeeperThan((value as Record<string, unknown>)[key], limit, depth + 1);
    if (below !== undefined) return below === '' ? key : `${key}.${below}`;
  }
  return undefined;
}
