import { createHmac, hash as cryptoHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const generateSecret = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;

/** Compares secrets in constant time (hashing first makes lengths equal, so length leaks nothing either). */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(secretDigest(given), secretDigest(expected));
}

export const secretDigest = (secret: string): Buffer => cryptoHash('sha256', secret, 'buffer');

/** Segment's X-Signature: hex HMAC-SHA1 of the payload with the shared secret. */
export const segmentSignature = (secret: string, payload: string | Buffer) =>
  createHmac('sha1', secret).update(payload).digest('hex');

export function signatureMatches(secret: string, payload: string | Buffer, signature: string): boolean {
  return secretsEqual(signature.trim().toLowerCase(), segmentSignature(secret, payload));
}

export const mask = (secret: string) => (secret.length <= 8 ? '••••' : `${secret.slice(0, 6)}…${secret.slice(-4)}`);
