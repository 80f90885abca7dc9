import type Router from '@koa/router';
import type { Context } from 'koa';
import { CALL_TYPES, SegmentCall } from '../../domain/segment/calls';
import type { CustomerDoc, SegmentEventDoc } from '../../projections/attribution/documents';
import { DEAD_LETTER_STATUSES, DEAD_LETTERS, DeadLetterDoc } from '../../projections/deadLetters/deadLetter';
import type { Services } from '../../service';
import type { WorkspaceDoc } from '../../workspaces/workspace';
import { HttpError } from '../httpError';
import { decodeCursor, encodeCursor, parseLimit } from './cursor';

const workspaceOf = (ctx: Context) => (ctx.state.workspace as WorkspaceDoc)._id;
const query = (ctx: Context, name: string) => {
  const value = ctx.query[name];
  if (Array.isArray(value)) throw new HttpError(400, 'invalid_query', `${name} may be given once`, { path: name });
  return value;
};

/** CSCX-facing reads: customers and their Segment events, and the dead letters. All behind the admin token. */
export function mountReadRoutes(router: Router, services: Services): void {
  const queries = services.queries;

  router.get('/api/segment/events/:customerId', async (ctx) => {
    const workspaceId = workspaceOf(ctx);
    const customer = await queries.findCustomer(workspaceId, ctx.params.customerId!);
    if (!customer) throw new HttpError(404, 'customer_not_found', `no customer or Segment group ${ctx.params.customerId}`);
    const limit = parseLimit(query(ctx, 'limit'), 50, 500);
    const callType = query(ctx, 'type');
    if (callType !== undefined && !(CALL_TYPES as string[]).includes(callType)) {
      throw new HttpError(400, 'invalid_type', `type must be one of ${CALL_TYPES.join(', ')}`, { path: 'type' });
    }
    const rows = await queries.customerEvents(workspaceId, customer.customerId, {
      limit: limit + 1,
      before: decodeCursor(query(ctx, 'cursor')),
      callType,
    });
    const page = rows.slice(0, limit);
    ctx.body = {
      customer: customerView(customer),
      // Personal data is sealed in the read model as in the event store: opened here, gone once its person is.
      events: await Promise.all(page.map((row) => eventView(row, services))),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.sortKey) : null,
    };
  });

  // GET /api/customers and /api/customers/:id live in src/http/customers (identity resolution).

  router.get('/api/integrations/segment/dlq', async (ctx) => {
    const limit = parseLimit(query(ctx, 'limit'), 100, 1000);
    const status = query(ctx, 'status');
    if (status !== undefined && !(DEAD_LETTER_STATUSES as string[]).includes(status)) {
      throw new HttpError(400, 'invalid_status', `status must be one of ${DEAD_LETTER_STATUSES.join(', ')}`, { path: 'status' });
    }
    const letters = await (await services.readStore.collection<DeadLetterDoc>(DEAD_LETTERS)).find(
      { workspaceId: workspaceOf(ctx), status },
      { sort: [['failedAt', -1]], limit },
    );
    ctx.body = { deadLetters: letters.map(({ _id, ...letter }) => ({ id: _id, ...letter })) };
  });
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

const eventView = async (e: SegmentEventDoc, services: Services) => ({
  id: e._id,
  messageId: e.messageId,
  type: e.callType,
  name: e.name,
  userId: e.userId,
  anonymousId: e.anonymousId,
  timestamp: e.timestamp,
  receivedAt: e.receivedAt,
  status: { stored: true, attribution: e.attribution, projected: true },
  call: await services.cipher.openCall(JSON.parse(e.payload) as SegmentCall),
});
