import type { SegmentCall } from '../segment/calls';

/**
 * Which parts of a Segment call are a person's personal data, so that they can be sealed (encrypted with the
 * person's key) when the call is stored and forgotten when the person asks to be deleted.
 *
 * - identify: every trait value (they all describe the person);
 * - track, page, screen: the properties that name or reach a person (email, name, phone, address, ...);
 * - every call: `context.ip` and `context.traits`.
 * Group traits describe the account, not a person, and stay readable. Keys stay readable everywhere: they are
 * the schema, not the data.
 */
export const PERSONAL_PROPERTY_KEYS: ReadonlySet<string> = new Set(
  [
    'email', 'name', 'firstName', 'lastName', 'first_name', 'last_name', 'fullName', 'full_name', 'username',
    'phone', 'mobile', 'address', 'street', 'birthday', 'avatar', 'ip',
  ].map((k) => k.toLowerCase()),
);

export const isPersonalPropertyKey = (key: string) => PERSONAL_PROPERTY_KEYS.has(key.toLowerCase());

/** Transforms one personal value (seal: to an envelope; open: back, or undefined when it cannot be read). */
export type ValueTransform = (value: unknown) => unknown;

/** A copy of the call with `transform` applied to each personal value; a result of undefined drops the field. */
export function mapPersonalData(call: SegmentCall, transform: ValueTransform): SegmentCall {
  const copy: Record<string, unknown> = { ...call };
  if (call.type === 'identify' && isObject(call.traits)) {
    copy.traits = mapEntries(call.traits, () => true, transform);
  }
  if ((call.type === 'track' || call.type === 'page' || call.type === 'screen') && isObject(call.properties)) {
    copy.properties = mapEntries(call.properties, isPersonalPropertyKey, transform);
  }
  if (isObject(call.context)) {
    copy.context = mapEntries(call.context, (key) => key === 'ip' || key === 'traits', transform);
  }
  return copy as SegmentCall;
}

function mapEntries(
  object: Record<string, unknown>,
  personal: (key: string) => boolean,
  transform: ValueTransform,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (!personal(key) || value === null || value === undefined) {
      out[key] = value;
      continue;
    }
    const mapped = transform(value);
    if (mapped !== undefined) out[key] = mapped;
  }
  return out;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
