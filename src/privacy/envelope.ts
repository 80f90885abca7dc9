import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Sealed personal values, as strings that take the values' places in a call. Two formats, both read forever
 * (stored events are immutable history):
 *
 * - `enc:v1:<kid>:<iv>:<tag>:<data>` (base64url): ONE value, AES-256-GCM over its JSON with the key id as
 *   additional data, so a value cannot be moved under another key unnoticed. Written for a call with one
 *   personal value (most calls: `context.ip`).
 * - `enc:v2:<kid>:<iv>:<tag>:<data>` at the call's FIRST personal value (its head): all the call's personal values
 *   as one JSON array, sealed in one AES-256-GCM operation (additional data: the key id and `:v2`), and
 *   `enc:v2:<kid>:<n>` at the others: the n-th value of that array. Written for a call with several personal
 *   values: setting up a cipher costs more than encrypting a few values, and an identify carries a dozen. A
 *   reader must keep the head to open the others (see `mapPersonalData` for the order).
 */
const PREFIX = 'enc:v1:';
const PREFIX_V2 = 'enc:v2:';

export const isEnvelope = (value: unknown): value is string =>
  typeof value === 'string' && (value.startsWith(PREFIX) || value.startsWith(PREFIX_V2));

export function seal(value: unknown, kid: string, key: Buffer): string {
  return sealText(PREFIX, JSON.stringify(value), kid, aadOf(kid), key);
}

/** Seals several values of one call in one operation: the head for the first, references for the others. */
export function sealValues(values: readonly unknown[], kid: string, key: Buffer): string[] {
  const texts = [sealText(PREFIX_V2, JSON.stringify(values), kid, Buffer.from(`${kid}:v2`, 'utf8'), key)];
  for (let n = 1; n < values.length; n++) texts.push(`${PREFIX_V2}${kid}:${n}`);
  return texts;
}

function sealText(prefix: string, text: string, kid: string, aad: Buffer, key: Buffer): string {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const data = cipher.update(text, 'utf8');
  const rest = cipher.final(); // GCM is a stream mode: nothing is held back, final() only computes the tag
  const sealed = rest.length > 0 ? Buffer.concat([data, rest]) : data;
  return `${prefix}${kid}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${sealed.toString('base64url')}`;
}

/**
 * Every seal needs a fresh random 96-bit IV. Asking the CSPRNG for 12 bytes at a time costs about as much as the
 * encryption itself, so IVs are cut from a random pool drawn in chunks. Each IV is handed out once and a used
 * pool is never refilled in place (a new one is drawn), so IVs are exactly as random as with one draw per seal.
 */
const IV_BYTES = 12;
const IVS_PER_DRAW = 1024;
let ivPool = Buffer.alloc(0);
let ivNext = 0;
function nextIv(): Buffer {
  if (ivNext + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_BYTES * IVS_PER_DRAW);
    ivNext = 0;
  }
  const iv = ivPool.subarray(ivNext, ivNext + IV_BYTES);
  ivNext += IV_BYTES;
  return iv;
}

/** A person's calls often come in a row (one user's batch): the additional data of their kid is encoded once. */
let lastKid = '';
let lastAad = Buffer.alloc(0);
function aadOf(kid: string): Buffer {
  if (kid !== lastKid) {
    lastAad = Buffer.from(kid, 'utf8');
    lastKid = kid;
  }
  return lastAad;
}

/** The key id an envelope was sealed with. */
export function kidOf(envelope: string): string | undefined {
  const parts = envelope.slice(PREFIX.length).split(':');
  const v2 = envelope.startsWith(PREFIX_V2);
  return parts.length === 6 || (v2 && parts.length === 4) ? parts.slice(0, 3).join(':') : undefined;
}

/** A v2 envelope's place in its call's array: 0 for the head, n for a reference; undefined for anything else. */
export function v2IndexOf(envelope: string): number | undefined {
  if (!envelope.startsWith(PREFIX_V2)) return undefined;
  const parts = envelope.slice(PREFIX_V2.length).split(':');
  if (parts.length === 6) return 0;
  const n = parts.length === 4 ? Number(parts[3]) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The sealed value of a v1 envelope, or undefined when the key is gone or the envelope was tampered with. */
export function open(envelope: string, key: Buffer | undefined): unknown {
  return envelope.startsWith(PREFIX) ? openText(envelope, PREFIX, key, (kid) => Buffer.from(kid, 'utf8')) : undefined;
}

/** The values of a v2 head (an array), or undefined when the key is gone or the envelope was tampered with. */
export function openValues(head: string, key: Buffer | undefined): unknown[] | undefined {
  if (!head.startsWith(PREFIX_V2)) return undefined;
  const values = openText(head, PREFIX_V2, key, (kid) => Buffer.from(`${kid}:v2`, 'utf8'));
  return Array.isArray(values) ? values : undefined;
}

function openText(envelope: string, prefix: string, key: Buffer | undefined, aadOfKid: (kid: string) => Buffer): unknown {
  const parts = envelope.slice(prefix.length).split(':');
  if (!key || parts.length !== 6) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[3]!, 'base64url'));
    decipher.setAAD(aadOfKid(parts.slice(0, 3).join(':')));
    decipher.setAuthTag(Buffer.from(parts[4]!, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(parts[5]!, 'base64url')), decipher.final()]).toString('utf8');
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
