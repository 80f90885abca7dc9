import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * One encrypted value, as a string that takes the value's place in the call: `enc:v1:<kid>:<iv>:<tag>:<data>`
 * (base64url). AES-256-GCM over the value's JSON, with the key id as additional data, so a value cannot be
 * moved under another key unnoticed.
 */
const PREFIX = 'enc:v1:';

export const isEnvelope = (value: unknown): value is string => typeof value === 'string' && value.startsWith(PREFIX);

export function seal(value: unknown, kid: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return `${PREFIX}${kid}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${data.toString('base64url')}`;
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
