import type Router from '@koa/router';
import type { Context } from 'koa';
import * as t from 'io-ts';
import bodyParser from 'koa-bodyparser';
import type { Services } from '../../service';
import { currentWriteKey, MAX_GRACE_HOURS, rotateWriteKey } from '../../workspaces/rotateWriteKey';
import { generateSecret } from '../../workspaces/secrets';
import type { WorkspaceDoc } from '../../workspaces/workspace';
import { decodeBody, invalidField } from '../decodeBody';
import { workspaceOf } from '../middleware/adminAuth';

const RotateRequest = t.partial({ graceHours: t.number });

/** The signed-in workspace's connection details, and write-key rotation. Admin token only. */
export function mountWorkspaceRoutes(router: Router, services: Services): void {
  router.get('/api/workspace', (ctx) => {
    ctx.body = workspaceView(workspaceOf(ctx), baseUrl(ctx, services));
  });

  router.post('/api/workspace/write-keys/rotate', bodyParser({ enableTypes: ['json'] }), async (ctx) => {
    const body = decodeBody(RotateRequest, ctx.request.body ?? {});
    const graceHours = body.graceHours ?? 24;
    if (!Number.isFinite(graceHours) || graceHours < 0 || graceHours > MAX_GRACE_HOURS) {
      throw invalidField('graceHours', `must be between 0 and ${MAX_GRACE_HOURS} hours`);
    }
    const workspace = workspaceOf(ctx);
    const rotated = rotateWriteKey(services.workspaces.get(workspace._id) ?? workspace, generateSecret('wk'), graceHours, new Date());
    await services.workspaces.save(rotated);
    ctx.body = workspaceView(rotated, baseUrl(ctx, services));
  });
}

const baseUrl = (ctx: Context, services: Services) => (services.config.publicUrl || `${ctx.protocol}://${ctx.host}`).replace(/\/+$/, '');

function workspaceView(workspace: WorkspaceDoc, base: string) {
  const now = Date.now();
  const current = currentWriteKey(workspace);
  return {
    id: workspace._id,
    name: workspace.name,
    webhookUrl: `${base}/api/integrations/segment/webhook`,
    writeKey: current?.key ?? null,
    writeKeys: workspace.writeKeys.map((key) => ({
      key: key.key,
      createdAt: key.createdAt,
      expiresAt: key.expiresAt ?? null,
      status: !key.expiresAt ? 'active' : Date.parse(key.expiresAt) > now ? 'retiring' : 'expired',
    })),
    sharedSecret: workspace.sharedSecret,
    settings: workspace.settings,
  };
}
