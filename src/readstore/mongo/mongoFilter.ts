import type { Document, Filter as MongoFilter, Sort } from 'mongodb';
import type { Filter, Scalar, SortSpec } from '../port';

/**
 * The port's filters are a subset of MongoDB's query language, so they map almost one to one. The checks are
 * what keeps it a subset: field paths may not start with `$` (no `$where`, `$expr`...), only the port's
 * operators are accepted, and operands must be scalars, so a filter built from user input cannot turn into an
 * arbitrary query. The same paths are accepted as by the SQLite adapter.
 */

/** Documents are keyed by a string `_id`; the driver's own types would insist on ObjectId. */
export type StringKeyed = Document & { _id: string };

const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const SCALAR_OPERATORS = new Set(['$eq', '$ne']);
const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);

export function toMongoFilter(filter: Filter = {}): MongoFilter<StringKeyed> {
  const query: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    assertFieldPath(field);
    if (value === null || typeof value !== 'object') {
      query[field] = { $eq: checkedScalar(value) };
      continue;
    }
    if (Array.isArray(value)) throw new TypeError('Filter values must be scalars or conditions, not arrays');
    const condition: Record<string, unknown> = {};
    for (const [operator, operand] of Object.entries(value)) {
      if (operand === undefined) continue;
      condition[operator] = checkedOperand(operator, operand);
    }
    // An empty condition object would mean "equals {}" to MongoDB; for the port it means "no condition".
    if (Object.keys(condition).length > 0) query[field] = condition;
  }
  return query;
}

export function toMongoSort(sort: SortSpec): Sort {
  const spec: Record<string, 1 | -1> = {};
  for (const [field, direction] of sort) {
    assertFieldPath(field);
    if (direction !== 1 && direction !== -1) throw new TypeError(`Invalid sort direction for ${field}`);
    spec[field] = direction;
  }
  return spec;
}

export function assertFieldPath(path: string): void {
  if (typeof path !== 'string' || !FIELD_PATH.test(path)) {
    throw new TypeError(`Invalid field path ${JSON.stringify(path)}: expected ${FIELD_PATH}`);
  }
}

function checkedOperand(operator: string, operand: unknown): unknown {
  if (SCALAR_OPERATORS.has(operator)) return checkedScalar(operand);
  if (RANGE_OPERATORS.has(operator)) {
    if (typeof operand === 'string' || (typeof operand === 'number' && Number.isFinite(operand))) return operand;
    throw new TypeError(`${operator} takes a string or a finite number`);
  }
  if (operator === '$in') {
    if (!Array.isArray(operand)) throw new TypeError('$in takes an array of scalars');
    return operand.map(checkedScalar);
  }
  if (operator === '$exists') {
    if (typeof operand !== 'boolean') throw new TypeError('$exists takes a boolean');
    return operand;
  }
  throw new TypeError(`Unsupported filter operator ${operator}`);
}

function checkedScalar(value: unknown): Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TypeError(`Filter operand must be a scalar, got ${typeof value}`);
}
