import type Router from '@koa/router';
import { CALL_TYPES, SegmentCall } from '../../domain/segment/calls';
import type { CustomerDoc, SegmentEventDoc } from '../../projections/attribution/documents';
import { storedCalls } from '../../projections/attribution/storedCalls';
import type { Services } from '../../service';
import { HttpError } from '../httpError';
import { decodeCursor, encodeCursor, parseLimit, singleQuery } from './cursor';
import { workspaceOf } from '../middleware/adminAuth';


/** CSCX-facing reads: customers and their Segment events, and the dead letters. All behind the admin token. */
export function mountReadRoutes(router: Router, services: Services): void {
  const queries = services.queries;

  router.get('/api/segment/events/:customerId', async (ctx) => {
    const workspaceId = workspaceOf(ctx)._id;
    const customer = await queries.findCustomer(workspaceId, ctx.params.customerId!);
    if (!customer) throw new HttpError(404, 'customer_not_found', `no customer or Segment group ${ctx.params.customerId}`);
    const limit = parseLimit(singleQuery(ctx, 'limit'), 50, 500);
    const callType = singleQuery(ctx, 'type');
    if (callType !== undefined && !(CALL_TYPES as string[]).includes(callType)) {
      throw new HttpError(400, 'invalid_type', `type must be one of ${CALL_TYPES.join(', ')}`, { path: 'type' });
    }
    const rows = await queries.customerEvents(workspaceId, customer.customerId, {
      limit: limit + 1,
      before: decodeCursor(singleQuery(ctx, 'cursor')),
      callType,
    });
    const page = rows.slice(0, limit);
    const calls = await storedCalls(services.eventStore, page);
    ctx.body = {
      customer: customerView(customer),
      events: await Promise.all(page.map((row) => eventView(row, calls.get(row._id) ?? null, services))),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.sortKey) : null,
    };
  });

  // GET /api/customers and /api/customers/:id live in src/http/customers (identity resolution).
}

const customerView = (c: CustomerDoc) => ({
  id: c.customerId,
  name: c.name,
  groupIds: c.groupIds,
  domains: c.domains,
  source: c.source,
  createdAt: c.createdAt,
  eventCount: c.eventCount,
  lastActivityAt: c.lastActivityAt,
});

const eventView = async (e: SegmentEventDoc, stored: SegmentCall | null, services: Services) => ({
  id: e._id,
  messageId: e.messageId,
  type: e.callType,
  name: e.name,
  userId: e.userId,
  anonymousId: e.anonymousId,
  timestamp: e.timestamp,
  receivedAt: e.receivedAt,
  status: { stored: true, attribution: e.attribution, projected: true },
  // Personal data is sealed in the event store: opened here, gone once its person is.
  call: stored && (await services.cipher.openCall(stored)),
});
