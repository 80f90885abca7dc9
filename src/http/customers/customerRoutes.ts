import type Router from '@koa/router';
import bodyParser from 'koa-bodyparser';
import {
  CustomerConflictError,
  CustomerNotFoundError,
  linkSegmentGroup,
  registerCustomer,
} from '../../commands/customers/customerCommands';
import { normaliseDomain } from '../../domain/identity/domains';
import type { Services } from '../../service';
import { decodeBody, invalidField } from '../decodeBody';
import { HttpError } from '../httpError';
import { parseLimit } from '../read/cursor';
import { domainsOf, LinkGroupBody, RegisterCustomerBody } from './customerBodies';
import { workspaceOf } from '../middleware/adminAuth';
import { singleQuery } from '../read/cursor';

const json = bodyParser({ enableTypes: ['json'], jsonLimit: '64kb' });

/** CSCX customers: register, link Segment groups, find (by group, domain, name), view, stakeholders. */
export function mountCustomerRoutes(router: Router, services: Services): void {
  const customers = services.customers;
  const commandDeps = { eventStore: services.eventStore, facts: customers };

  router.post('/api/customers', json, async (ctx) => {
    const body = decodeBody(RegisterCustomerBody, ctx.request.body ?? {});
    const groupIds = [...new Set(body.groupIds ?? [])];
    const registered = await answerConflicts(() =>
      registerCustomer(commandDeps, {
        workspaceId: workspaceOf(ctx)._id,
        id: body.id,
        name: body.name.trim(),
        domains: domainsOf(body.domains),
        groupIds,
        externalIds: body.externalIds ?? {},
        correlationId: ctx.state.requestId as string,
      }),
    );
    ctx.status = 201;
    ctx.set('Location', `/api/customers/${registered.customerId}`);
    // The read model follows within moments; the answer is what was decided, not a read.
    ctx.body = { id: registered.customerId, name: registered.name, domains: registered.domains, groupIds: registered.groupIds, externalIds: registered.externalIds, source: 'registered' };
  });

  router.post('/api/customers/:id/groups', json, async (ctx) => {
    const { groupId } = decodeBody(LinkGroupBody, ctx.request.body ?? {});
    const linked = await answerConflicts(() =>
      linkSegmentGroup(commandDeps, { workspaceId: workspaceOf(ctx)._id, customerId: ctx.params.id!, groupId, correlationId: ctx.state.requestId as string }),
    );
    ctx.status = 202;
    ctx.body = { customerId: linked.customerId, groupId: linked.groupId };
  });

  router.get('/api/customers', async (ctx) => {
    const workspaceId = workspaceOf(ctx)._id;
    const groupId = singleQuery(ctx, 'groupId');
    const domainText = singleQuery(ctx, 'domain');
    const limit = parseLimit(singleQuery(ctx, 'limit'), 100, 1000);
    let found;
    if (groupId !== undefined) {
      found = [await customers.byGroup(workspaceId, groupId)];
    } else if (domainText !== undefined) {
      const domain = normaliseDomain(domainText);
      if (!domain) throw invalidField('domain', 'expected a domain name such as acme.com');
      found = [await customers.byDomain(workspaceId, domain)];
    } else {
      found = await customers.search(workspaceId, singleQuery(ctx, 'q'), limit);
    }
    const present = found.filter((c): c is NonNullable<typeof c> => c !== null);
    ctx.body = { customers: await Promise.all(present.map((c) => customers.view(c))) };
  });

  router.get('/api/customers/:id', async (ctx) => {
    const customer = await customers.find(workspaceOf(ctx)._id, ctx.params.id!);
    if (!customer) throw new HttpError(404, 'customer_not_found', `no customer ${ctx.params.id}`);
    ctx.body = await customers.view(customer);
  });

  router.get('/api/customers/:id/stakeholders', async (ctx) => {
    const workspaceId = workspaceOf(ctx)._id;
    const customer = await customers.find(workspaceId, ctx.params.id!);
    if (!customer) throw new HttpError(404, 'customer_not_found', `no customer ${ctx.params.id}`);
    const limit = parseLimit(singleQuery(ctx, 'limit'), 100, 1000);
    const offset = Number(singleQuery(ctx, 'offset') ?? 0);
    if (!Number.isInteger(offset) || offset < 0) throw new HttpError(400, 'invalid_offset', 'offset must be a whole number from 0', { path: 'offset' });
    ctx.body = {
      customerId: customer.customerId,
      stakeholders: await services.stakeholders.ofCustomer(workspaceId, customer.customerId, { limit, offset }),
    };
  });
}

async function answerConflicts<T>(command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (error) {
    if (error instanceof CustomerConflictError) {
      throw new HttpError(409, 'customer_conflict', error.message, { path: error.path, customerId: error.customerId });
    }
    if (error instanceof CustomerNotFoundError) throw new HttpError(404, 'customer_not_found', error.message);
    throw error;
  }
}
