import type Router from '@koa/router';
import type { ServiceMetrics } from '../../observability/metrics';
import type { HealthMonitor } from '../../reliability/healthMonitor';
import { RETRY_AFTER_SECONDS } from '../middleware/errors';

/**
 * Probes and metrics, unauthenticated (meant for the orchestrator and Prometheus on the private network):
 * - `/healthz` (liveness): 200 while the process serves, with the current state;
 * - `/readyz` (readiness): 200 when new calls are taken, 503 with the reasons when they would be refused;
 * - `/metrics`: Prometheus text format.
 */
export function mountHealthRoutes(router: Router, deps: { health: HealthMonitor; metrics: ServiceMetrics }): void {
  router.get('/healthz', (ctx) => {
    const report = deps.health.report();
    ctx.body = { status: report.status, ...details(report) };
  });

  router.get('/readyz', (ctx) => {
    const report = deps.health.report();
    ctx.status = report.ready ? 200 : 503;
    if (!report.ready) ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
    ctx.body = { status: report.ready ? 'ready' : 'not_ready', ...details(report) };
  });

  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.contentType;
    ctx.body = await deps.metrics.render();
  });
}

const details = (report: ReturnType<HealthMonitor['report']>) => ({
  eventStore: report.eventStore,
  readStore: report.readStore,
  projections: report.projections.map((p) => ({
    name: p.projection,
    lagEvents: p.events,
    lagSeconds: Number(p.seconds.toFixed(3)),
    running: !p.failed,
  })),
  reasons: report.reasons,
});
