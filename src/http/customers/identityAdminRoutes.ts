import type Router from '@koa/router';
import bodyParser from 'koa-bodyparser';
import { changeMatchingSettings } from '../../commands/customers/changeMatchingSettings';
import { DEFAULT_MATCHING_SETTINGS } from '../../domain/identity/customerEvents';
import type { Services } from '../../service';
import { decodeBody } from '../decodeBody';
import { parseLimit } from '../read/cursor';
import { SettingsBody } from './customerBodies';
import { workspaceOf } from '../middleware/adminAuth';


/** Calls without a customer (with the reason), and the workspace's matching settings. Admin token only. */
export function mountIdentityAdminRoutes(router: Router, services: Services): void {
  router.get('/api/integrations/segment/unresolved', async (ctx) => {
    const limit = parseLimit(ctx.query.limit as string | undefined, 100, 1000);
    ctx.body = { unresolved: await services.unresolved.list(workspaceOf(ctx)._id, limit) };
  });

  router.get('/api/workspace/settings', (ctx) => {
    ctx.body = { ...DEFAULT_MATCHING_SETTINGS, ...services.workspaces.get(workspaceOf(ctx)._id)?.settings };
  });

  router.patch('/api/workspace/settings', bodyParser({ enableTypes: ['json'], jsonLimit: '4kb' }), async (ctx) => {
    const changes = decodeBody(SettingsBody, ctx.request.body ?? {});
    ctx.body = await changeMatchingSettings(
      { eventStore: services.eventStore, workspaces: services.workspaces },
      { workspaceId: workspaceOf(ctx)._id, changes, correlationId: ctx.state.requestId as string },
    );
  });
}
