import type Router from '@koa/router';
import type { SignalDoc } from '../../projections/signals/documents';
import type { Services } from '../../service';
import { HttpError } from '../httpError';
import { parseLimit } from '../read/cursor';
import { healthHistory } from './healthHistory';
import { workspaceOf } from '../middleware/adminAuth';


/** `GET /api/customers/:id/health/history?limit=`: the score after each of the customer's latest signals. */
export function mountHealthHistoryRoute(router: Router, services: Services): void {
  router.get('/api/customers/:id/health/history', async (ctx) => {
    const customer = await services.queries.findCustomer(workspaceOf(ctx)._id, ctx.params.id!);
    if (!customer) throw new HttpError(404, 'customer_not_found', `no customer or Segment group ${ctx.params.id}`);
    const limit = parseLimit(typeof ctx.query.limit === 'string' ? ctx.query.limit : undefined, 500, 2000);
    const newestFirst = await services.signals.signals.customerSignals(workspaceOf(ctx)._id, customer.customerId, { limit });
    ctx.body = { customerId: customer.customerId, points: healthHistory([...newestFirst].reverse().map(scored)) };
  });
}

/** As the health projection counts a signal: breadth by the `feature` property, else the event name. */
function scored(signal: SignalDoc) {
  const feature = (JSON.parse(signal.properties) as Record<string, unknown>).feature;
  return {
    signalType: signal.signalType,
    weight: signal.weight,
    timestamp: signal.timestamp,
    feature: typeof feature === 'string' && feature ? feature.slice(0, 100) : signal.eventName,
  };
}
