import type Router from '@koa/router';
import bodyParser from 'koa-bodyparser';
import * as t from 'io-ts';
import { currentMappings } from '../../commands/mappings/changeSignalMappings';
import { MappingRule, semanticErrorsOf } from '../../domain/signals/mappingRules';
import { ReplayInProgressError } from '../../replay/replayManager';
import type { Services } from '../../service';
import { decodeBody } from '../decodeBody';
import { HttpError } from '../httpError';
import { workspaceOf } from '../middleware/adminAuth';


/** Proposed rules to preview; without them, the current rules (what a replay would do now). */
const PreviewBody = t.partial({ rules: t.array(MappingRule) });

/** Rebuilds of signals, health and alerts (with attribution) from the whole history. Behind the admin token. */
export function mountReplayRoutes(router: Router, services: Services): void {
  const { replays } = services.signals;

  router.post('/api/admin/replay', async (ctx) => {
    try {
      const status = replays.start(workspaceOf(ctx)._id);
      ctx.status = 202;
      ctx.set('Location', `/api/admin/replay/${status.id}`);
      ctx.body = status;
    } catch (error) {
      if (error instanceof ReplayInProgressError) {
        throw new HttpError(409, 'replay_in_progress', error.message, { running: error.running });
      }
      throw error;
    }
  });

  router.post('/api/admin/replay/preview', bodyParser({ enableTypes: ['json'], jsonLimit: '1mb' }), async (ctx) => {
    const body = decodeBody(PreviewBody, ctx.request.body ?? {});
    const workspaceId = workspaceOf(ctx)._id;
    const current = await currentMappings(services.eventStore, workspaceId);
    if (body.rules) {
      const semantic = semanticErrorsOf({ rules: body.rules });
      if (semantic.length > 0) throw new HttpError(400, 'invalid_body', `${semantic[0]!.path}: ${semantic[0]!.message}`, { errors: semantic });
    }
    const proposed = body.rules ? { version: current.version + 1, rules: body.rules } : current;
    const result = await services.signals.preview(workspaceId, proposed);
    ctx.body = { dryRun: true, currentVersion: current.version, ...result };
  });

  router.get('/api/admin/replay/:id', (ctx) => {
    const status = replays.status(ctx.params.id!, workspaceOf(ctx)._id);
    if (!status) throw new HttpError(404, 'replay_not_found', `no replay ${ctx.params.id}`);
    ctx.body = status;
  });
}
