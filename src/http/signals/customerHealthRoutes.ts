import type Router from '@koa/router';
import type { Context } from 'koa';
import { alertView } from '../../alerts/alertView';
import { MAX_POINTS, scoreOf } from '../../domain/signals/healthScore';
import type { SignalDoc } from '../../projections/signals/documents';
import type { Services } from '../../service';
import { HttpError } from '../httpError';
import { decodeCursor, encodeCursor, parseLimit } from '../read/cursor';
import { workspaceOf } from '../middleware/adminAuth';
import { singleQuery } from '../read/cursor';

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const SIGNAL_TYPE = /^[a-z][a-z0-9_-]{0,39}$/;
const ALERT_KINDS = ['risk-signal', 'score-threshold', 'usage-drop'];


function timeParam(ctx: Context, name: string): string | undefined {
  const value = singleQuery(ctx, name);
  if (value === undefined) return undefined;
  if (!ISO.test(value) || Number.isNaN(Date.parse(value))) {
    throw new HttpError(400, 'invalid_query', `${name} must be an ISO-8601 date or timestamp`, { path: name });
  }
  return new Date(value).toISOString();
}

async function customerOf(ctx: Context, services: Services) {
  const customer = await services.queries.findCustomer(workspaceOf(ctx)._id, ctx.params.id!);
  if (!customer) throw new HttpError(404, 'customer_not_found', `no customer or Segment group ${ctx.params.id}`);
  return customer;
}

/** A customer's signals and health, and the workspace's alerts. Behind the admin token. */
export function mountCustomerHealthRoutes(router: Router, services: Services): void {
  const { signals, health } = services.signals;

  router.get('/api/customers/:id/signals', async (ctx) => {
    const customer = await customerOf(ctx, services);
    const limit = parseLimit(singleQuery(ctx, 'limit'), 50, 500);
    const signalType = singleQuery(ctx, 'type');
    if (signalType !== undefined && !SIGNAL_TYPE.test(signalType)) {
      throw new HttpError(400, 'invalid_query', 'type must be a signal type such as adoption, expansion or risk', { path: 'type' });
    }
    const rows = await signals.customerSignals(workspaceOf(ctx)._id, customer.customerId, {
      signalType,
      from: timeParam(ctx, 'from'),
      to: timeParam(ctx, 'to'),
      before: decodeCursor(singleQuery(ctx, 'cursor')),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    ctx.body = {
      customerId: customer.customerId,
      signals: page.map(signalView),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.sortKey) : null,
    };
  });

  router.get('/api/customers/:id/health', async (ctx) => {
    const customer = await customerOf(ctx, services);
    const doc = await health.customerHealth(workspaceOf(ctx)._id, customer.customerId);
    if (!doc) {
      ctx.body = { customerId: customer.customerId, score: null, band: null, reason: 'no signals yet', signals: {} };
      return;
    }
    // The stored score is as of the newest signal; `now` shows how it stands today, with recency decayed.
    const now = scoreOf(doc.state, new Date(Math.max(Date.now(), Date.parse(doc.asOf))).toISOString());
    ctx.body = {
      customerId: customer.customerId,
      score: doc.score,
      band: doc.band,
      components: doc.components,
      maxPoints: MAX_POINTS,
      usage: doc.usage,
      asOf: doc.asOf,
      now: { score: now.score, band: now.band, components: now.components, usage: now.usage, asOf: now.asOf },
      signals: doc.state.totals,
      signalCount: doc.signalCount,
      usageDropOpen: doc.usageDropOpen,
    };
  });

  router.get('/api/alerts', async (ctx) => {
    const limit = parseLimit(singleQuery(ctx, 'limit'), 50, 500);
    const kind = singleQuery(ctx, 'kind');
    if (kind !== undefined && !ALERT_KINDS.includes(kind)) {
      throw new HttpError(400, 'invalid_query', `kind must be one of ${ALERT_KINDS.join(', ')}`, { path: 'kind' });
    }
    const customerParam = singleQuery(ctx, 'customerId');
    let customerId: string | undefined;
    if (customerParam !== undefined) {
      const customer = await services.queries.findCustomer(workspaceOf(ctx)._id, customerParam);
      if (!customer) throw new HttpError(404, 'customer_not_found', `no customer or Segment group ${customerParam}`);
      customerId = customer.customerId;
    }
    const cursor = singleQuery(ctx, 'cursor');
    const before = cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString('utf8');
    if (before !== undefined && !/^\d{16}\|.+$/.test(before)) {
      throw new HttpError(400, 'invalid_cursor', 'cursor is not one this API returned', { path: 'cursor' });
    }
    const rows = await health.alerts(workspaceOf(ctx)._id, { customerId, kind, before, limit: limit + 1 });
    const page = rows.slice(0, limit);
    ctx.body = {
      alerts: page.map(alertView),
      nextCursor: rows.length > limit ? Buffer.from(page[page.length - 1]!.feedKey, 'utf8').toString('base64url') : null,
    };
  });
}

const signalView = (s: SignalDoc) => ({
  id: s._id,
  type: s.signalType,
  event: s.eventName,
  weight: s.weight,
  ruleId: s.ruleId,
  mappingVersion: s.mappingVersion,
  identityKey: s.identityKey,
  messageId: s.messageId,
  timestamp: s.timestamp,
  properties: JSON.parse(s.properties) as unknown,
});
