import type { FindOptions } from './port';

/** The paging options every adapter accepts: whole, non-negative numbers (limit 0 means no documents). */
export function checkedPaging(options: FindOptions): { limit: number | undefined; skip: number } {
  const { limit, skip = 0 } = options;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
  if (!(Number.isSafeInteger(skip) && skip >= 0)) throw new RangeError(`skip must be a non-negative integer`);
  return { limit, skip };
}
