import type { FieldCondition, Filter, Scalar, SortSpec } from '../port';
import { jsonPathOf } from './names';

/**
 * Compiles the port's filters and sorts to SQL over `json_extract`, with MongoDB's comparison rules for the
 * types the port allows: values only compare within their own type (5 never equals "5" or true), equality with
 * null also matches a missing field, `$ne` matches missing fields, `$exists` distinguishes null from missing.
 * Values are always bound parameters; only validated field paths are written into the SQL text, so that a
 * `json_extract(doc, '$.path')` term matches the expression indexes and can use them.
 *
 * Unlike MongoDB, a field holding an array is compared as a whole, not element by element.
 */

export interface SqlFragment {
  readonly sql: string;
  readonly params: (string | number)[];
}

const OPERATORS = new Set(['$eq', '$ne', '$in', '$gt', '$gte', '$lt', '$lte', '$exists']);
const RANGE_SQL = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' } as const;

export function compileFilter(filter: Filter = {}): SqlFragment {
  const terms: string[] = [];
  const params: (string | number)[] = [];
  for (const [field, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    const path = jsonPathOf(field);
    if (isCondition(value)) {
      for (const term of conditionTerms(path, value, params)) terms.push(term);
    } else {
      terms.push(equals(path, value, params));
    }
  }
  return { sql: terms.length === 0 ? '1' : terms.join(' AND '), params };
}

/** ORDER BY text. MongoDB orders by type first (missing/null, numbers, strings, objects, arrays, booleans). */
export function compileSort(sort: SortSpec): string {
  return sort
    .map(([field, direction]) => {
      const path = jsonPathOf(field);
      if (direction !== 1 && direction !== -1) throw new TypeError(`Invalid sort direction for ${field}`);
      const dir = direction === 1 ? 'ASC' : 'DESC';
      const typeRank =
        `CASE json_type(doc, ${path}) WHEN 'integer' THEN 1 WHEN 'real' THEN 1 WHEN 'text' THEN 2 ` +
        `WHEN 'object' THEN 3 WHEN 'array' THEN 4 WHEN 'false' THEN 5 WHEN 'true' THEN 5 ELSE 0 END`;
      return `${typeRank} ${dir}, json_extract(doc, ${path}) ${dir}`;
    })
    .join(', ');
}

function isCondition(value: Scalar | FieldCondition): value is FieldCondition {
  if (Array.isArray(value)) throw new TypeError('Filter values must be scalars or conditions, not arrays');
  return typeof value === 'object' && value !== null;
}

function conditionTerms(path: string, condition: FieldCondition, params: (string | number)[]): string[] {
  const terms: string[] = [];
  for (const [operator, operand] of Object.entries(condition)) {
    if (!OPERATORS.has(operator)) throw new TypeError(`Unsupported filter operator ${operator}`);
    if (operand === undefined) continue;
    switch (operator) {
      case '$eq':
        terms.push(equals(path, operand as Scalar, params));
        break;
      case '$ne':
        terms.push(`NOT IFNULL(${equals(path, operand as Scalar, params)}, 0)`);
        break;
      case '$in':
        terms.push(oneOf(path, operand as readonly Scalar[], params));
        break;
      case '$exists':
        if (typeof operand !== 'boolean') throw new TypeError('$exists takes a boolean');
        terms.push(`json_type(doc, ${path}) IS ${operand ? 'NOT NULL' : 'NULL'}`);
        break;
      default:
        terms.push(range(path, RANGE_SQL[operator as keyof typeof RANGE_SQL], operand as string | number, params));
    }
  }
  return terms;
}

function equals(path: string, value: Scalar, params: (string | number)[]): string {
  if (value === null) return `(json_type(doc, ${path}) IS NULL OR json_type(doc, ${path}) = 'null')`;
  if (typeof value === 'boolean') return `json_type(doc, ${path}) = '${value ? 'true' : 'false'}'`;
  params.push(checkedOperand(value));
  return `(${typeGuard(path, value)} AND json_extract(doc, ${path}) = ?)`;
}

function oneOf(path: string, values: readonly Scalar[], params: (string | number)[]): string {
  if (!Array.isArray(values)) throw new TypeError('$in takes an array of scalars');
  if (values.length === 0) return '0';
  for (const value of values) {
    if (value !== null && typeof value === 'object') throw new TypeError('$in takes an array of scalars');
  }
  return `(${values.map((value) => equals(path, value, params)).join(' OR ')})`;
}

function range(path: string, sqlOperator: string, value: string | number, params: (string | number)[]): string {
  params.push(checkedOperand(value));
  return `(${typeGuard(path, value)} AND json_extract(doc, ${path}) ${sqlOperator} ?)`;
}

function typeGuard(path: string, value: string | number): string {
  return typeof value === 'number'
    ? `json_type(doc, ${path}) IN ('integer', 'real')`
    : `json_type(doc, ${path}) = 'text'`;
}

function checkedOperand(value: unknown): string | number {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TypeError(`Filter operand must be a string or a finite number, got ${String(value)}`);
}
