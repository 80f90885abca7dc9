import type { Context } from 'koa';
import type { WorkspaceDoc } from '../../workspaces/workspace';
import type { WorkspaceRegistry } from '../../workspaces/workspaceRegistry';
import { HttpError } from '../httpError';

/** The write key from `Authorization: Basic base64(writeKey:)` or `Authorization: Bearer writeKey`. */
export function writeKeyFromHeader(authorization: string): string | undefined {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const user = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
    return user || undefined;
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return bearer ? bearer[1] : undefined;
}

/**
 * Who sent the calls: the workspace of the write key, or the workspace whose shared secret produced the
 * X-Signature. 401 without saying which check failed.
 */
export function authenticateSender(
  ctx: Context,
  workspaces: WorkspaceRegistry,
  rawBody: Buffer,
  bodyWriteKey?: () => string | undefined,
): WorkspaceDoc {
  const headerKey = writeKeyFromHeader(ctx.get('authorization'));
  const byKey = headerKey ? workspaces.byWriteKey(headerKey) : undefined;
  if (byKey) return byKey;

  const signature = ctx.get('x-signature');
  if (signature) {
    const workspace = workspaces.bySignature(signature, rawBody, firstElementJson(rawBody), ctx.params?.workspaceId);
    if (workspace) return workspace;
  }
  const bodyKey = bodyWriteKey?.();
  const byBodyKey = bodyKey ? workspaces.byWriteKey(bodyKey) : undefined;
  if (byBodyKey) return byBodyKey;
  ctx.set('WWW-Authenticate', 'Basic realm="segment"');
  throw new HttpError(401, 'unauthorized', 'authentication failed');
}

/** Segment's batching signs JSON.stringify(events[0]), so recompute that form when the body is an array. */
function firstElementJson(rawBody: Buffer): string | undefined {
  if (rawBody[0] !== 0x5b /* [ */ && !/^\s*\[/.test(rawBody.subarray(0, 16).toString('utf8'))) return undefined;
  try {
    const parsed: unknown = JSON.parse(rawBody.toString('utf8'));
    return Array.isArray(parsed) && parsed.length > 0 ? JSON.stringify(parsed[0]) : undefined;
  } catch {
    return undefined;
  }
}
