import type { FieldCondition, Filter, Scalar, SortSpec } from '../../../src/readstore/port';

/**
 * An in-memory model of the port's query semantics, written from MongoDB's documented rules: values compare only
 * within their type, null equality also matches a missing field, strings order by their UTF-8 bytes, and sorts
 * order by type first (missing/null, numbers, strings, objects, arrays, booleans). Property tests hold both
 * adapters to it.
 */

const MISSING = Symbol('missing');
type Value = unknown;

export function valueAt(doc: object, path: string): Value {
  let current: unknown = doc;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return MISSING;
    if (!Object.prototype.hasOwnProperty.call(current, key)) return MISSING;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function matches(doc: object, filter: Filter): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    if (condition === undefined) return true;
    const value = valueAt(doc, field);
    if (condition === null || typeof condition !== 'object') return equals(value, condition);
    return matchesCondition(value, condition);
  });
}

function matchesCondition(value: Value, condition: FieldCondition): boolean {
  const { $eq, $ne, $in, $gt, $gte, $lt, $lte, $exists } = condition;
  return (
    ($eq === undefined || equals(value, $eq)) &&
    ($ne === undefined || !equals(value, $ne)) &&
    ($in === undefined || $in.some((candidate) => equals(value, candidate))) &&
    ($gt === undefined || compareSameType(value, $gt, (c) => c > 0)) &&
    ($gte === undefined || compareSameType(value, $gte, (c) => c >= 0)) &&
    ($lt === undefined || compareSameType(value, $lt, (c) => c < 0)) &&
    ($lte === undefined || compareSameType(value, $lte, (c) => c <= 0)) &&
    ($exists === undefined || (value !== MISSING) === $exists)
  );
}

function equals(value: Value, expected: Scalar): boolean {
  if (expected === null) return value === null || value === MISSING;
  return typeof value === typeof expected && value === expected;
}

function compareSameType(value: Value, bound: string | number, accept: (comparison: number) => boolean): boolean {
  if (typeof value !== typeof bound) return false;
  return accept(compareScalars(value as string | number, bound));
}

function compareScalars(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

function typeRank(value: Value): number {
  if (value === MISSING || value === null) return 0;
  if (typeof value === 'number') return 1;
  if (typeof value === 'string') return 2;
  if (Array.isArray(value)) return 4;
  if (typeof value === 'object') return 3;
  if (typeof value === 'boolean') return 5;
  throw new TypeError(`The reference model does not order ${typeof value}`);
}

/** Orders documents like MongoDB for scalar fields; equal keys compare as 0 (their order is unspecified). */
export function compareBySort(sort: SortSpec): (a: object, b: object) => number {
  return (a, b) => {
    for (const [field, direction] of sort) {
      const x = valueAt(a, field);
      const y = valueAt(b, field);
      const byType = typeRank(x) - typeRank(y);
      if (byType !== 0) return byType * direction;
      if (typeRank(x) === 0) continue;
      const byValue = compareScalars(x as string | number | boolean, y as string | number | boolean);
      if (byValue !== 0) return byValue * direction;
    }
    return 0;
  };
}
