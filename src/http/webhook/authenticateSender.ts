import type { Context } from 'koa';
import type { WorkspaceDoc } from '../../workspaces/workspace';
import type { WorkspaceRegistry } from '../../workspaces/workspaceRegistry';
import { HttpError } from '../httpError';
import type { ParsedCalls } from './parseCalls';

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
 * X-Signature. 401 without saying which check failed. `parse` is the request's lazily parsed body (parsed once,
 * shared with the caller); it is only needed for a signature over a batch or a write key in the body, and a body
 * that does not parse is answered after authentication.
 */
export function authenticateSender(
  ctx: Context,
  workspaces: WorkspaceRegistry,
  rawBody: Buffer,
  parse?: () => ParsedCalls,
): WorkspaceDoc {
  const parsed = () => {
    try {
      return parse?.();
    } catch {
      return undefined;
    }
  };
  const headerKey = writeKeyFromHeader(ctx.get('authorization'));
  const byKey = headerKey ? workspaces.byWriteKey(headerKey) : undefined;
  if (byKey) return byKey;

  const signature = ctx.get('x-signature');
  if (signature) {
    // Segment's batching signs JSON.stringify(events[0]), so recompute that form when the body is an array.
    const first = parsed()?.firstCall;
    const firstJson = first === undefined ? undefined : JSON.stringify(first);
    const workspace = workspaces.bySignature(signature, rawBody, firstJson, ctx.params?.workspaceId);
    if (workspace) return workspace;
  }
  const bodyKey = parsed()?.writeKey;
  const byBodyKey = bodyKey ? workspaces.byWriteKey(bodyKey) : undefined;
  if (byBodyKey) return byBodyKey;
  ctx.set('WWW-Authenticate', 'Basic realm="segment"');
  throw new HttpError(401, 'unauthorized', 'authentication failed');
}
