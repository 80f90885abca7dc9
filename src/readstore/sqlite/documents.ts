import type { Doc } from '../port';

/** Documents are stored as JSON text; `JSON.parse` keeps a `__proto__` key as plain data (an own property). */
export function serialize(doc: Doc): string {
  idOf(doc);
  return JSON.stringify(doc);
}

/** A document's id; a document without one is refused (the error of whoever made it, not of the store). */
export function idOf(doc: Doc): string {
  if (typeof doc?._id !== 'string') throw new TypeError('A document needs a string _id');
  return doc._id;
}

export function deserialize<T extends Doc>(json: string): T {
  return JSON.parse(json) as T;
}
