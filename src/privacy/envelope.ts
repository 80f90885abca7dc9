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

/**
 * An envelope read once, with everything a reader needs: `value` (v1) and `head` (v2) carry the sealed parts,
 * `reference` (v2) the place of its value in its head's array. Opening a call meets each envelope once; splitting
 * its text again for the key id, the kind and the parts cost more than the look-ups they served.
 */
export type Envelope = SealedEnvelope | { readonly kind: 'reference'; readonly kid: string; readonly index: number };
export interface SealedEnvelope {
  readonly kind: 'value' | 'head';
  readonly kid: string;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

/** The parts of an envelope, or undefined for any other text (malformed envelopes included). */
export function parseEnvelope(text: string): Envelope | undefined {
  const v2 = text.startsWith(PREFIX_V2);
  if (!v2 && !text.startsWith(PREFIX)) return undefined;
  const parts = text.slice(PREFIX.length).split(':'); // both prefixes have the same length
  // The key id is its first three fields (`<workspace>:<identityKey>:<version>`), cut from the text as it stands.
  const kid = () => text.slice(PREFIX.length, PREFIX.length + parts[0]!.length + parts[1]!.length + parts[2]!.length + 2);
  if (parts.length === 6) return { kind: v2 ? 'head' : 'value', kid: kid(), iv: parts[3]!, tag: parts[4]!, data: parts[5]! };
  if (!v2 || parts.length !== 4) return undefined;
  const index = Number(parts[3]);
  return Number.isInteger(index) && index > 0 ? { kind: 'reference', kid: kid(), index } : undefined;
}

/** The sealed value of a v1 envelope, or undefined when the key is gone or the envelope was tampered with. */
export function open(envelope: SealedEnvelope, key: Buffer | undefined): unknown {
  return envelope.kind === 'value' ? openText(envelope, Buffer.from(envelope.kid, 'utf8'), key) : undefined;
}

/** The values of a v2 head (an array), or undefined when the key is gone or the envelope was tampered with. */
export function openValues(head: SealedEnvelope, key: Buffer | undefined): unknown[] | undefined {
  if (head.kind !== 'head') return undefined;
  const values = openText(head, Buffer.from(`${head.kid}:v2`, 'utf8'), key);
  return Array.isArray(values) ? values : undefined;
}

function openText(envelope: SealedEnvelope, aad: Buffer, key: Buffer | undefined): unknown {
  if (!key) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64url'));
    decipher.setAAD(aad);
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(envelope.data, 'base64url')), decipher.final()]).toString('utf8');
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
