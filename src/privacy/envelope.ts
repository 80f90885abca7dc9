import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * One encrypted value, as a string that takes the value's place in the call: `enc:v1:<kid>:<iv>:<tag>:<data>`
 * (base64url). AES-256-GCM over the value's JSON, with the key id as additional data, so a value cannot be
 * moved under another key unnoticed.
 */
const PREFIX = 'enc:v1:';

export const isEnvelope = (value: unknown): value is string => typeof value === 'string' && value.startsWith(PREFIX);

export function seal(value: unknown, kid: string, key: Buffer): string {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aadOf(kid));
  const data = cipher.update(JSON.stringify(value), 'utf8');
  const rest = cipher.final(); // GCM is a stream mode: nothing is held back, final() only computes the tag
  const sealed = rest.length > 0 ? Buffer.concat([data, rest]) : data;
  return `${PREFIX}${kid}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${sealed.toString('base64url')}`;
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

/** The fields of one call are sealed under one kid in a row: its additional data is encoded once for them. */
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
  return parts.length === 6 ? parts.slice(0, 3).join(':') : undefined;
}

/** The sealed value, or undefined when the key is gone or the envelope was tampered with. */
export function open(envelope: string, key: Buffer | undefined): unknown {
  const parts = envelope.slice(PREFIX.length).split(':');
  if (!key || parts.length !== 6) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[3]!, 'base64url'));
    decipher.setAAD(Buffer.from(parts.slice(0, 3).join(':'), 'utf8'));
    decipher.setAuthTag(Buffer.from(parts[4]!, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(parts[5]!, 'base64url')), decipher.final()]).toString('utf8');
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
