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

/** Property keys are the customer's schema: few, and seen on every call, so each is lower-cased once. */
const personalKeyMemo = new Map<string, boolean>();
export const isPersonalPropertyKey = (key: string): boolean => {
  let personal = personalKeyMemo.get(key);
  if (personal === undefined) {
    personal = PERSONAL_PROPERTY_KEYS.has(key.toLowerCase());
    // Bounded in count and in key length: a sender inventing keys must not grow it, nor pin large strings.
    if (key.length <= 64 && personalKeyMemo.size < 10_000) personalKeyMemo.set(key, personal);
  }
  return personal;
};

/**
 * Transforms one personal value (seal: to an envelope; open: back, or undefined when it cannot be read). `index`
 * counts the call's personal values in the order they are visited: identify traits, then personal properties,
 * then personal context fields, each in its object's key order (the order JSON keeps).
 */
export type ValueTransform = (value: unknown, index: number) => unknown;

/**
 * The call with `transform` applied to each personal value; a result of undefined drops the field. Objects that
 * hold no personal value are shared with the input rather than copied (this runs for every call at ingest), so
 * neither the input nor the result may be mutated.
 */
export function mapPersonalData(call: SegmentCall, transform: ValueTransform): SegmentCall {
  let copy: Record<string, unknown> | undefined;
  let index = 0;
  const counted = (value: unknown) => transform(value, index++);
  personalSections(call, (field, object, personal) => {
    const after = mapEntries(object, personal, counted);
    if (after !== object) (copy ??= { ...call })[field] = after;
  });
  return (copy ?? call) as SegmentCall;
}

/** The call's personal values, in the order `mapPersonalData` visits them. */
export function personalValuesOf(call: SegmentCall): unknown[] {
  const values: unknown[] = [];
  personalSections(call, (_field, object, personal) => {
    for (const key of Object.keys(object)) {
      const value = object[key];
      if (holdsPersonalValue(key, value, personal)) values.push(value);
    }
  });
  return values;
}

/** The objects of a call that may hold personal values, with which of their keys do, in visiting order. */
function personalSections(
  call: SegmentCall,
  visit: (field: 'traits' | 'properties' | 'context', object: Record<string, unknown>, personal: (key: string) => boolean) => void,
): void {
  if (call.type === 'identify' && isObject(call.traits)) visit('traits', call.traits, everyKey);
  if ((call.type === 'track' || call.type === 'page' || call.type === 'screen') && isObject(call.properties)) {
    visit('properties', call.properties, isPersonalPropertyKey);
  }
  if (isObject(call.context)) visit('context', call.context, isPersonalContextKey);
}

const everyKey = () => true;

/**
 * Whether a key's value is sealed. One rule for `personalValuesOf` and `mapPersonalData`: a call's values are
 * sealed together and put back by position, so the two must pick exactly the same values in the same order.
 */
const holdsPersonalValue = (key: string, value: unknown, personal: (key: string) => boolean) =>
  value !== null && value !== undefined && personal(key);
const isPersonalContextKey = (key: string) => key === 'ip' || key === 'traits';

/** `object` itself when it holds no personal value, else a copy with each personal value transformed. */
function mapEntries(
  object: Record<string, unknown>,
  personal: (key: string) => boolean,
  transform: (value: unknown) => unknown,
): Record<string, unknown> {
  const keys = Object.keys(object);
  let out: Record<string, unknown> | undefined; // made at the first personal value
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = object[key];
    if (!holdsPersonalValue(key, value, personal)) {
      if (out) setOwn(out, key, value);
      continue;
    }
    if (!out) {
      out = {};
      for (let j = 0; j < i; j++) setOwn(out, keys[j]!, object[keys[j]!]);
    }
    const mapped = transform(value);
    if (mapped !== undefined) setOwn(out, key, mapped);
  }
  return out ?? object;
}

/** A JSON key named `__proto__` is data: plain assignment would set the copy's prototype instead. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
