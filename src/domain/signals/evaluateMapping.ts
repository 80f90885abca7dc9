import { isPersonalPropertyKey } from '../identity/personalData';
import type { Condition, EventMatch, MappingRule, MappingSet } from './mappingRules';

/** What a mapping makes of one track call: the signal's type, weight and kept properties, and why. */
export interface MappedSignal {
  readonly ruleId: string;
  readonly signalType: string;
  readonly weight: number;
  readonly properties: Record<string, unknown>;
  readonly mappingVersion: number;
}

/** The first enabled rule that takes the event decides its signal; no rule, no signal. Pure. */
export function signalFor(eventName: string, properties: Record<string, unknown> | undefined, mappings: MappingSet): MappedSignal | null {
  const props = properties ?? {};
  for (const rule of mappings.rules) {
    if (!rule.enabled || !eventMatches(rule.event, eventName)) continue;
    if (!(rule.conditions ?? []).every((condition) => conditionHolds(condition, props))) continue;
    return {
      ruleId: rule.id,
      signalType: rule.signalType,
      weight: rule.weight,
      properties: keptProperties(rule, props),
      mappingVersion: mappings.version,
    };
  }
  return null;
}

export function eventMatches(match: EventMatch, eventName: string): boolean {
  return 'equals' in match ? match.equals === eventName : globOf(match.pattern).test(eventName);
}

const globCache = new Map<string, RegExp>();
/** `*` any text, `?` one character, everything else literal: no regular expressions from admins (no ReDoS). */
function globOf(pattern: string): RegExp {
  let regex = globCache.get(pattern);
  if (!regex) {
    const body = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
    regex = new RegExp(`^${body}$`, 's');
    if (globCache.size > 1000) globCache.clear();
    globCache.set(pattern, regex);
  }
  return regex;
}

export function valueAtPath(properties: Record<string, unknown>, path: string): unknown {
  let current: unknown = properties;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function conditionHolds(condition: Condition, properties: Record<string, unknown>): boolean {
  const value = valueAtPath(properties, condition.property);
  if ('exists' in condition) return (value !== undefined && value !== null) === condition.exists;
  if ('equals' in condition) return value === condition.equals;
  if ('oneOf' in condition) return condition.oneOf.some((candidate) => candidate === value);
  // Order comparisons only within a type: "10" is not greater than 9, and a missing value is never in range.
  if ('greaterThan' in condition) return typeof value === typeof condition.greaterThan && (value as number | string) > condition.greaterThan;
  return typeof value === typeof condition.lessThan && (value as number | string) < condition.lessThan;
}

/**
 * The properties a rule keeps. Personal ones (email, name, phone, ...) are never kept: they are sealed in the
 * event for the person's sake, and a signal that copied them would outlive a Segment deletion.
 */
function keptProperties(rule: MappingRule, properties: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const { from, to } of rule.properties ?? []) {
    if (from.split('.').some(isPersonalPropertyKey)) continue;
    const value = valueAtPath(properties, from);
    if (value !== undefined) kept[to] = value;
  }
  return kept;
}
