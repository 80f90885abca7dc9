import type Router from '@koa/router';
import type { ServiceMetrics } from '../../observability/metrics';
import type { HealthMonitor } from '../../reliability/healthMonitor';
import { secretsEqual } from '../../workspaces/secrets';
import { HttpError } from '../httpError';
import { RETRY_AFTER_SECONDS } from '../middleware/errors';

/**
 * Probes and metrics, meant for the orchestrator and Prometheus on the private network:
 * - `/healthz` (liveness): 200 while the process serves, with the current state;
 * - `/readyz` (readiness): 200 when new calls are taken, 503 with the reasons when they would be refused;
 * - `/metrics`: Prometheus text format; open, or behind a bearer token when `metricsToken` is set (the figures
 *   say how busy each workspace's traffic is, which a public port should not tell anyone).
 */
export function mountHealthRoutes(router: Router, deps: { health: HealthMonitor; metrics: ServiceMetrics; metricsToken?: string }): void {
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
    if (deps.metricsToken !== undefined) {
      const given = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'))?.[1]?.trim();
      if (given === undefined || !secretsEqual(given, deps.metricsToken)) {
        const message = 'metrics need the metrics token (Authorization: Bearer <METRICS_TOKEN>)';
        throw new HttpError(401, 'unauthorized', message, undefined, { 'WWW-Authenticate': 'Bearer' });
      }
    }
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
    // built at start, or by the deferred build (`waiting` for the catch-up, `building`, `retrying`, `failed`)
    indexes: p.indexes?.state ?? 'built',
  })),
  reasons: report.reasons,
});
