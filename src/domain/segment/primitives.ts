import * as t from 'io-ts';

/**
 * Field-level codecs shared by every Segment call type. Each one names what it expects, because those names end
 * up in the 4xx answers Segment's users read.
 *
 * Each codec's `is` holds exactly for the values its decode takes unchanged (a number taken as an Identifier is
 * changed, so `is` refuses it): decodeCall checks most calls with the call codec's `is`, which allocates nothing,
 * and decodes only the others.
 */

const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export interface IsoTimestampBrand {
  readonly IsoTimestamp: unique symbol;
}
/** An ISO-8601 date or date-time that JavaScript can place on the time line. */
export const IsoTimestamp = t.brand(
  t.string,
  (s): s is t.Branded<string, IsoTimestampBrand> => ISO_8601.test(s) && !Number.isNaN(Date.parse(s)),
  'IsoTimestamp',
);

export const MAX_MESSAGE_ID_LENGTH = 100;

export interface MessageIdBrand {
  readonly MessageId: unique symbol;
}
/** Segment's messageId: a non-empty string of at most 100 characters. */
export const MessageId = t.brand(
  t.string,
  (s): s is t.Branded<string, MessageIdBrand> => s.length > 0 && s.length <= MAX_MESSAGE_ID_LENGTH,
  'MessageId',
);

/**
 * A user, anonymous or group identifier. Segment's spec says string, but SDKs in the wild send numbers for
 * database ids; refusing those would drop real data, so a finite number is taken and turned into its string form.
 */
const isIdentifierString = (u: unknown): u is string => typeof u === 'string' && u.trim().length > 0 && u.length <= 1024;
export const Identifier = new t.Type<string, string, unknown>(
  'Identifier',
  isIdentifierString,
  (u, c) => {
    if (isIdentifierString(u)) return t.success(u);
    if (typeof u === 'number' && Number.isFinite(u)) return t.success(String(u));
    return t.failure(u, c, 'expected a non-empty string (at most 1024 characters)');
  },
  t.identity,
);

/** A plain JSON object (not an array, not null). */
export const JsonObject = new t.Type<Record<string, unknown>, Record<string, unknown>, unknown>(
  'JsonObject',
  (u): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u),
  (u, c) =>
    typeof u === 'object' && u !== null && !Array.isArray(u)
      ? t.success(u as Record<string, unknown>)
      : t.failure(u, c, 'expected an object'),
  t.identity,
);

const isNonEmptyString = (u: unknown): u is string => typeof u === 'string' && u.trim().length > 0;
export const NonEmptyString = new t.Type<string, string, unknown>(
  'NonEmptyString',
  isNonEmptyString,
  (u, c) => (isNonEmptyString(u) ? t.success(u) : t.failure(u, c, 'expected a non-empty string')),
  t.identity,
);
