import { HttpError } from '../httpError';

/** Opaque paging cursors: the sort key of the last item, base64url-encoded. */
export const encodeCursor = (sortKey: string) => Buffer.from(sortKey, 'utf8').toString('base64url');

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+Z\|[0-9a-f-]{36}$/.test(decoded)) {
    throw new HttpError(400, 'invalid_cursor', 'cursor is not one this API returned', { path: 'cursor' });
  }
  return decoded;
}

export function parseLimit(value: unknown, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new HttpError(400, 'invalid_limit', `limit must be a whole number from 1 to ${max}`, { path: 'limit' });
  }
  return limit;
}

/** A query parameter given at most once (a repeated one is a 400 naming it); empty counts as absent. */
export function singleQuery(ctx: { query: Record<string, string | string[] | undefined> }, name: string): string | undefined {
  const value = ctx.query[name];
  if (Array.isArray(value)) throw new HttpError(400, 'invalid_query', `${name} may be given once`, { path: name });
  return value === '' ? undefined : value;
}
