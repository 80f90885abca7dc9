import type { Context, Next } from 'koa';
import type { WorkspaceDoc } from '../../workspaces/workspace';
import type { WorkspaceRegistry } from '../../workspaces/workspaceRegistry';
import { HttpError } from '../httpError';

/**
 * Admin and read APIs: `Authorization: Bearer <admin token>` picks the workspace. Every handler behind this reads
 * the workspace through `workspaceOf` and nothing else, so one workspace's token can never reach another's data.
 */
export function requireAdmin(workspaces: WorkspaceRegistry) {
  return async (ctx: Context, next: Next): Promise<void> => {
    ctx.state.workspace = adminWorkspace(ctx, workspaces);
    await next();
  };
}

/**
 * The workspace of the request's admin token. `allowQuery`: also from `?token=`, for EventSource, which cannot
 * set headers. 401 otherwise.
 */
export function adminWorkspace(ctx: Context, workspaces: WorkspaceRegistry, { allowQuery = false } = {}): WorkspaceDoc {
  const header = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'))?.[1]?.trim();
  const token = header ?? (allowQuery && typeof ctx.query.token === 'string' ? ctx.query.token : undefined);
  const workspace = token ? workspaces.byAdminToken(token) : undefined;
  if (!workspace) {
    ctx.set('WWW-Authenticate', 'Bearer');
    const how = allowQuery ? 'Bearer header or ?token=' : 'Authorization: Bearer <token>';
    throw new HttpError(401, 'unauthorized', `a valid admin token is required (${how})`);
  }
  return workspace;
}

/** The workspace `requireAdmin` authenticated. */
export const workspaceOf = (ctx: Context): WorkspaceDoc => ctx.state.workspace as WorkspaceDoc;
