import Router from '@koa/router';
import Koa from 'koa';
import type { Services } from '../service';
import { httpMetrics } from '../observability/httpMetrics';
import { admissionGate } from './admission/admissionGate';
import { mountDeadLetterRoutes } from './deadLetters/deadLetterRoutes';
import { mountHealthRoutes } from './health/healthRoutes';
import { requireAdmin } from './middleware/adminAuth';
import { mountOpenApi } from './openapi/openApiRoute';
import { errorAnswers } from './middleware/errors';
import { requestContext } from './middleware/requestContext';
import { mountChatRoutes } from './chat/chatRoutes';
import { mountHealthHistoryRoute } from './customerView/healthHistoryRoute';
import { mountCustomerRoutes } from './customers/customerRoutes';
import { mountIdentityAdminRoutes } from './customers/identityAdminRoutes';
import { mountMonitorStream } from './monitor/monitorStream';
import { mountReadRoutes } from './read/readRoutes';
import { mountAlertStream } from './signals/alertStream';
import { mountCustomerHealthRoutes } from './signals/customerHealthRoutes';
import { mountMappingRoutes } from './signals/mappingRoutes';
import { readModelLease } from './signals/readModelLease';
import { mountReplayRoutes } from './signals/replayRoutes';
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
  const { health, metrics } = services.reliability;
  mountHealthRoutes(open, { health, metrics, metricsToken: services.config.metricsToken });
  mountOpenApi(open);
  mountSegmentWebhook(open, services);
  mountTrackingApi(open, services);
  // The stream checks the token itself: EventSource cannot send headers, so it may come as ?token=.
  mountMonitorStream(open, { feed: services.live.feed, workspaces: services.workspaces, callProjections: () => services.live.callProjections(services.projections) });

  mountAlertStream(open, services); // token as header or ?token= (EventSource), checked by the stream itself

  const admin = new Router();
  admin.use(requireAdmin(services.workspaces));
  mountReadRoutes(admin, services);
  mountCustomerRoutes(admin, services);
  mountIdentityAdminRoutes(admin, services);
  mountMappingRoutes(admin, services);
  mountCustomerHealthRoutes(admin, services);
  mountReplayRoutes(admin, services);
  mountWorkspaceRoutes(admin, services);
  mountChatRoutes(admin, services);
  mountHealthHistoryRoute(admin, services);
  mountDeadLetterRoutes(admin, { readStore: services.readStore, retry: services.reliability.deadLetters });

  app.use(requestContext(services.logger));
  app.use(httpMetrics(services.reliability.metrics));
  app.use(errorAnswers);
  app.use(readModelLease(services.signals.versions));
  app.use(admissionGate(services.reliability.admission));
  app.use(serveUi());
  app.use(open.routes());
  app.use(open.allowedMethods());
  app.use(admin.routes());
  app.use(admin.allowedMethods());
  return app;
}
