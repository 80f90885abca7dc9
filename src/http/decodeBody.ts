import { isLeft } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { fieldErrorsOf } from '../domain/segment/fieldErrors';
import { HttpError } from './httpError';

/** Decodes a JSON request body with an io-ts codec; a 400 names every wrong field by its path. */
export function decodeBody<C extends t.Mixed>(codec: C, body: unknown): t.TypeOf<C> {
  const decoded = codec.decode(body);
  if (isLeft(decoded)) {
    const errors = fieldErrorsOf(decoded.left);
    const first = errors[0];
    throw new HttpError(400, 'invalid_body', first ? `${first.path}: ${first.message}` : 'invalid body', { errors });
  }
  return decoded.right;
}

/** A 400 about one field, in the same shape as decodeBody's. */
export const invalidField = (path: string, message: string) =>
  new HttpError(400, 'invalid_body', `${path}: ${message}`, { errors: [{ path, message }] });
