import { answer, errorAnswers, jsonBody, pathParam, queryParam } from '../openapi/schemas';

const adminAuth = [{ adminToken: [] }];
const tags = ['customers'];
const obj = { type: 'object' };
const customerView = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: ['string', 'null'] },
    source: { enum: ['registered', 'segment-group'] },
    groupIds: { type: 'array', items: { type: 'string' } },
    domains: { type: 'array', items: { type: 'string' } },
    externalIds: obj,
    createdAt: { type: 'string', format: 'date-time' },
    eventCount: { type: 'integer' },
    lastActivityAt: { type: ['string', 'null'], format: 'date-time' },
    stakeholderCount: { type: 'integer' },
    segmentTraits: obj,
    audiences: { type: 'array', items: obj },
    computedTraits: { type: 'array', items: obj },
  },
};
const read = (summary: string, schema: unknown, parameters: unknown[] = []) => ({
  get: { tags, summary, security: adminAuth, parameters, responses: { '200': answer('ok', schema), '404': answer('not found'), ...errorAnswers } },
});

/** The identity-resolution routes (src/http/customers), for the OpenAPI document. */
export const identityPaths: Record<string, Record<string, unknown>> = {
  '/api/customers': {
    ...read('Customers: of a Segment group, of a domain, or whose name contains q', { type: 'object', properties: { customers: { type: 'array', items: customerView } } }, [
      queryParam('groupId', 'a Segment groupId'),
      queryParam('domain', 'a domain or website; parent domains match too'),
      queryParam('q', 'part of the name, any case'),
      queryParam('limit', '1 to 1000, default 100', { type: 'integer' }),
    ]),
    post: {
      tags,
      summary: 'Register a customer (name, domains, Segment group ids, external ids)',
      security: adminAuth,
      requestBody: jsonBody({
        type: 'object',
        required: ['name'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          domains: { type: 'array', items: { type: 'string' } },
          groupIds: { type: 'array', items: { type: 'string' } },
          externalIds: { type: 'object', additionalProperties: { type: 'string' } },
        },
      }),
      responses: { '201': answer('registered', obj), '409': answer('a group, domain or id belongs to another customer'), ...errorAnswers },
    },
  },
  '/api/customers/{id}': read('The customer view', customerView, [pathParam('id', 'customer id or Segment groupId')]),
  '/api/customers/{id}/stakeholders': read('The people seen with a customer', obj, [
    pathParam('id', 'customer id or Segment groupId'),
    queryParam('limit', '1 to 1000, default 100', { type: 'integer' }),
    queryParam('offset', 'skip this many', { type: 'integer' }),
  ]),
  '/api/customers/{id}/groups': {
    post: {
      tags,
      summary: 'Link a Segment group to a customer; what waited for the group is attributed to it',
      security: adminAuth,
      parameters: [pathParam('id', 'customer id')],
      requestBody: jsonBody({ type: 'object', required: ['groupId'], properties: { groupId: { type: 'string' } } }),
      responses: { '202': answer('linked', obj), '404': answer('no such customer'), '409': answer('linked to another customer'), ...errorAnswers },
    },
  },
  '/api/integrations/segment/unresolved': read('Calls still without a customer, with the reason', obj, [queryParam('limit', '1 to 1000, default 100', { type: 'integer' })]),
  '/api/workspace/settings': {
    ...read('Matching settings', obj),
    patch: {
      tags,
      summary: 'Change matching settings (auto-create customers, email-domain and free-mail matching)',
      security: adminAuth,
      requestBody: jsonBody({
        type: 'object',
        properties: { autoCreateCustomers: { type: 'boolean' }, matchEmailDomains: { type: 'boolean' }, matchFreeMailDomains: { type: 'boolean' } },
      }),
      responses: { '200': answer('the settings now in force', obj), ...errorAnswers },
    },
  },
};
