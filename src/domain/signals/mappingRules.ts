import * as t from 'io-ts';

/**
 * Event-to-signal mapping rules: which Segment track events become which CSCX signals. The codec is the single
 * source of truth for what an admin may send; everything past it works on these typed values.
 */

export const BUILT_IN_SIGNAL_TYPES = ['adoption', 'expansion', 'risk'] as const;
export type BuiltInSignalType = (typeof BUILT_IN_SIGNAL_TYPES)[number];

/** Custom types too become document keys and URL query values: keep them to a safe alphabet. */
const SIGNAL_TYPE = /^[a-z][a-z0-9_-]{0,39}$/;
const RULE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Names a kept property gets in the signal: plain identifiers, so they are safe keys in every store. */
const PROPERTY_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** A property path into the track call's properties: dot-separated keys. */
const PROPERTY_PATH = /^[^.$\s][^.\s]{0,63}(\.[^.$\s][^.\s]{0,63}){0,7}$/;

const matching = <A extends string>(name: string, pattern: RegExp, expected: string) =>
  new t.Type<A, string, unknown>(
    name,
    (u): u is A => typeof u === 'string' && pattern.test(u),
    (u, c) => (typeof u === 'string' && pattern.test(u) ? t.success(u as A) : t.failure(u, c, expected)),
    t.identity,
  );

export const SignalType = matching<string>('SignalType', SIGNAL_TYPE, 'expected a signal type: adoption, expansion, risk, or a custom lower-case name (a-z, 0-9, _ or -, at most 40)');
export const RuleId = matching<string>('RuleId', RULE_ID, 'expected an id of 1-64 letters, digits, _ or -');
export const PropertyName = matching<string>('PropertyName', PROPERTY_NAME, 'expected a name of letters, digits and _ (not starting with a digit)');
export const PropertyPath = matching<string>('PropertyPath', PROPERTY_PATH, 'expected a property path such as "plan" or "plan.tier"');
const EventName = matching<string>('EventName', /^.{1,200}$/s, 'expected an event name of 1-200 characters');

const Weight = new t.Type<number, number, unknown>(
  'Weight',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u >= 0 && u <= 100,
  (u, c) => (typeof u === 'number' && Number.isFinite(u) && u >= 0 && u <= 100 ? t.success(u) : t.failure(u, c, 'expected a number from 0 to 100')),
  t.identity,
);

const ScalarValue = t.union([t.string, t.number, t.boolean]);
const Comparable = t.union([t.string, t.number]);

export const Condition = t.union([
  t.strict({ property: PropertyPath, equals: ScalarValue }),
  t.strict({ property: PropertyPath, oneOf: t.array(ScalarValue) }),
  t.strict({ property: PropertyPath, greaterThan: Comparable }),
  t.strict({ property: PropertyPath, lessThan: Comparable }),
  t.strict({ property: PropertyPath, exists: t.boolean }),
]);
export type Condition = t.TypeOf<typeof Condition>;

export const PropertyMapping = t.strict({ from: PropertyPath, to: PropertyName });
export type PropertyMapping = t.TypeOf<typeof PropertyMapping>;

/** Which event names a rule takes: one exact name, or a pattern where `*` is any text and `?` one character. */
export const EventMatch = t.union([t.strict({ equals: EventName }), t.strict({ pattern: EventName })]);
export type EventMatch = t.TypeOf<typeof EventMatch>;

export const MappingRule = t.intersection([
  t.strict({
    id: RuleId,
    event: EventMatch,
    signalType: SignalType,
    weight: Weight,
    enabled: t.boolean,
  }),
  t.partial({
    description: t.string,
    conditions: t.array(Condition),
    properties: t.array(PropertyMapping),
  }),
]);
export type MappingRule = t.TypeOf<typeof MappingRule>;

/** What `PUT /api/integrations/segment/mappings` takes: the whole rule set, first matching rule wins. */
export const MappingSetInput = t.intersection([
  t.strict({ rules: t.array(MappingRule) }),
  t.partial({ changedBy: t.string, reason: t.string }),
]);
export type MappingSetInput = t.TypeOf<typeof MappingSetInput>;

/** A rule set as it is in force: the rules and the version that introduced them (0: the shipped defaults). */
export interface MappingSet {
  readonly version: number;
  readonly rules: readonly MappingRule[];
}

/** Checks the codec cannot express: rule ids unique within the set. Returns field errors like the codec's. */
export function semanticErrorsOf(input: MappingSetInput): { path: string; message: string }[] {
  const seen = new Map<string, number>();
  const errors: { path: string; message: string }[] = [];
  input.rules.forEach((rule, index) => {
    const first = seen.get(rule.id);
    if (first !== undefined) errors.push({ path: `rules.${index}.id`, message: `duplicate rule id ${JSON.stringify(rule.id)} (also rules.${first}.id)` });
    else seen.set(rule.id, index);
  });
  if (input.rules.length > 500) errors.push({ path: 'rules', message: 'at most 500 rules' });
  return errors;
}
