import type { Context, Next } from 'koa';
import type { WorkspaceRegistry } from '../../workspaces/workspaceRegistry';
import { HttpError } from '../httpError';

/**
 * Admin and read APIs: `Authorization: Bearer <admin token>` picks the workspace. Every handler behind this reads
 * `ctx.state.workspace` and nothing else, so one workspace's token can never reach another's data.
 */
export function requireAdmin(workspaces: WorkspaceRegistry) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const match = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'));
    const workspace = match ? workspaces.byAdminToken(match[1]!.trim()) : undefined;
    if (!workspace) {
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new HttpError(401, 'unauthorized', 'a valid admin token is required (Authorization: Bearer <token>)');
    }
    ctx.state.workspace = workspace;
    await next();
  };
}
