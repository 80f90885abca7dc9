import * as t from 'io-ts';

/** What is wrong with one field of a call, as the 4xx answers and the dead-letter records show it. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

const describeValue = (value: unknown): string => {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
};

const EXPECTATIONS: Record<string, string> = {
  IsoTimestamp: 'an ISO-8601 timestamp',
  MessageId: 'a non-empty string of at most 100 characters',
  Identifier: 'a non-empty string',
  JsonObject: 'an object',
  NonEmptyString: 'a non-empty string',
  string: 'a string',
};

/** Turns io-ts errors into one error per field path, with the path as Segment's payload spells it. */
export function fieldErrorsOf(errors: t.Errors): FieldError[] {
  const byPath = new Map<string, FieldError>();
  for (const error of errors) {
    // Context entries with a numeric key and an intersection/union parent are io-ts internals, not payload keys.
    const keys = error.context
      .filter((entry, i) => i > 0 && !/^\d+$/.test(entry.key) || (i > 0 && isArrayIndexOf(error.context, i)))
      .map((entry) => entry.key);
    const path = keys.join('.') || '(call)';
    if (byPath.has(path)) continue;
    const last = error.context[error.context.length - 1];
    const expected = error.message ?? `expected ${EXPECTATIONS[last?.type.name ?? ''] ?? last?.type.name}`;
    const literal = last?.type instanceof t.LiteralType ? `expected ${JSON.stringify(last.type.value)}` : undefined;
    byPath.set(path, { path, message: `${literal ?? expected}, got ${describeValue(error.value)}` });
  }
  return [...byPath.values()];
}

const isArrayIndexOf = (context: t.Context, i: number): boolean => {
  const parent = context[i - 1]?.type;
  return parent instanceof t.ArrayType || parent instanceof t.ReadonlyArrayType;
};
