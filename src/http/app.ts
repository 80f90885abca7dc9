import Router from '@koa/router';
import Koa from 'koa';
import type { Services } from '../service';
import { requireAdmin } from './middleware/adminAuth';
import { errorAnswers } from './middleware/errors';
import { requestContext } from './middleware/requestContext';
import { mountReadRoutes } from './read/readRoutes';
import { mountTrackingApi } from './tracking/trackingApi';
import { mountSegmentWebhook } from './webhook/segmentWebhook';

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

  const admin = new Router();
  admin.use(requireAdmin(services.workspaces));
  mountReadRoutes(admin, services);

  app.use(requestContext(services.logger));
  app.use(errorAnswers);
  app.use(open.routes());
  app.use(open.allowedMethods());
  app.use(admin.routes());
  app.use(admin.allowedMethods());
  return app;
}
