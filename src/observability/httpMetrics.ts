import type { Context, Next } from 'koa';
import type { ServiceMetrics } from './metrics';
import { isIngestRequest } from '../http/ingestPaths';

/**
 * Counts and times every request by its route pattern (never the raw path: ids would explode the label set),
 * and webhook answers separately as the ack latency Segment sees. Sits outside the error middleware, so it
 * records the status that was really sent.
 */
export function httpMetrics(metrics: ServiceMetrics) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const started = performance.now(); // a number, not a BigInt allocated per request
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const route = (ctx as Context & { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      metrics.httpRequest(ctx.method, String(route), ctx.status, seconds);
      if (isIngestRequest(ctx.method, ctx.path)) metrics.webhookAnswered(ctx.status, seconds);
    }
  };
}
