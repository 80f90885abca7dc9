/**
 * Collection names and field paths end up inside SQL text (table names, JSON paths, expression indexes), where
 * parameters cannot be bound, so both are checked against strict patterns before they get near a statement.
 */

const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Tables carry a prefix so that collections never collide with SQLite's own `sqlite_*` tables. */
const TABLE_PREFIX = 'rs_';

export function assertCollectionName(name: string): void {
  if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) {
    throw new TypeError(`Invalid collection name ${JSON.stringify(name)}: expected ${COLLECTION_NAME}`);
  }
}

export function assertFieldPath(path: string): void {
  if (typeof path !== 'string' || !FIELD_PATH.test(path)) {
    throw new TypeError(`Invalid field path ${JSON.stringify(path)}: expected ${FIELD_PATH}`);
  }
}

/** The quoted table identifier of a (valid) collection. */
export function tableOf(collection: string): string {
  assertCollectionName(collection);
  return `"${TABLE_PREFIX}${collection}"`;
}

/** The collection a table holds, or undefined for tables that are not collections. */
export function collectionOfTable(table: string): string | undefined {
  if (!table.startsWith(TABLE_PREFIX)) return undefined;
  const name = table.slice(TABLE_PREFIX.length);
  return COLLECTION_NAME.test(name) ? name : undefined;
}

/** SQL literal for the JSON path of a (valid) field path, e.g. `'$.traits.email'`. */
export function jsonPathOf(field: string): string {
  assertFieldPath(field);
  return `'$.${field}'`;
}
