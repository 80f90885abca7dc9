import Router from '@koa/router';
import Koa from 'koa';
import type { Services } from '../service';
import { requireAdmin } from './middleware/adminAuth';
import { errorAnswers } from './middleware/errors';
import { requestContext } from './middleware/requestContext';
import { mountMonitorStream } from './monitor/monitorStream';
import { mountReadRoutes } from './read/readRoutes';
import { mountTrackingApi } from './tracking/trackingApi';
import { serveUi } from './ui/staticApp';
import { mountSegmentWebhook } from './webhook/segmentWebhook';
import { mountWorkspaceRoutes } from './workspace/workspaceRoutes';

/**
 * Builds the Koa app from its services. No listening here: tests run the app in-process, `main.ts` serves it.
 */
export function buildApp(services: Services): Koa {
  const app = new Koa();
  app.proxy = true;
  app.silent = true; // errors are answered and logged by errorAnswers

  const open = new Router();
  open.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  mountSegmentWebhook(open, services);
  mountTrackingApi(open, services);
  mountMonitorStream(open, services.live.feed, services.workspaces); // checks the token itself (EventSource: ?token=)

  const admin = new Router();
  admin.use(requireAdmin(services.workspaces));
  mountReadRoutes(admin, services);
  mountWorkspaceRoutes(admin, services);

  app.use(requestContext(services.logger));
  app.use(errorAnswers);
  app.use(serveUi());
  app.use(open.routes());
  app.use(open.allowedMethods());
  app.use(admin.routes());
  app.use(admin.allowedMethods());
  return app;
}
