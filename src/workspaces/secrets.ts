import { createHmac, hash as cryptoHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const generateSecret = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;

/** Compares secrets in constant time (hashing first makes lengths equal, so length leaks nothing either). */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(secretDigest(given), secretDigest(expected));
}

export const secretDigest = (secret: string): Buffer => cryptoHash('sha256', secret, 'buffer');

/**
 * Compares a digest made once per request (secretDigest of what the caller sent) with a stored secret, in
 * constant time. The stored secrets (write keys, admin tokens) are few and checked on every request, so their
 * digests are kept; the map is emptied if it ever grows past its bound.
 */
export function matchesStoredSecret(givenDigest: Buffer, stored: string): boolean {
  let expected = storedDigests.get(stored);
  if (!expected) {
    if (storedDigests.size >= STORED_DIGESTS_LIMIT) storedDigests.clear();
    storedDigests.set(stored, (expected = secretDigest(stored)));
  }
  return timingSafeEqual(givenDigest, expected);
}
const STORED_DIGESTS_LIMIT = 10_000;
const storedDigests = new Map<string, Buffer>();

/** Segment's X-Signature: hex HMAC-SHA1 of the payload with the shared secret. */
export const segmentSignature = (secret: string, payload: string | Buffer) =>
  createHmac('sha1', secret).update(payload).digest('hex');

export function signatureMatches(secret: string, payload: string | Buffer, signature: string): boolean {
  return secretsEqual(signature.trim().toLowerCase(), segmentSignature(secret, payload));
}

export const mask = (secret: string) => (secret.length <= 8 ? '••••' : `${secret.slice(0, 6)}…${secret.slice(-4)}`);
