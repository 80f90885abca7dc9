import { answer, errorAnswers, jsonBody, pathParam, queryParam } from '../openapi/schemas';

const adminAuth = [{ adminToken: [] }];
const obj = { type: 'object' };
const rule = {
  type: 'object',
  required: ['id', 'event', 'signalType', 'weight', 'enabled'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    description: { type: 'string' },
    event: { oneOf: [{ type: 'object', required: ['equals'], properties: { equals: { type: 'string' } } }, { type: 'object', required: ['pattern'], properties: { pattern: { type: 'string', description: '* any text, ? one character' } } }] },
    conditions: { type: 'array', items: { type: 'object', required: ['property'], description: 'property plus one of equals, oneOf, greaterThan, lessThan, exists' } },
    signalType: { type: 'string', description: 'adoption, expansion, risk, or a custom lower-case name' },
    weight: { type: 'number', minimum: 0, maximum: 100 },
    enabled: { type: 'boolean' },
    properties: { type: 'array', items: { type: 'object', required: ['from', 'to'], properties: { from: { type: 'string' }, to: { type: 'string' } } } },
  },
};
const get = (tag: string, summary: string, parameters: unknown[] = [], extra: Record<string, unknown> = {}) => ({
  get: { tags: [tag], summary, security: adminAuth, parameters, responses: { '200': answer('ok', obj), ...extra, ...errorAnswers } },
});
const customer = pathParam('id', 'customer id or Segment group id');

/** The signals, health, alerts and replay routes (src/http/signals), for the OpenAPI document. */
export const signalsPaths: Record<string, Record<string, unknown>> = {
  '/api/integrations/segment/config': get('mappings', 'Connection details (webhook URL, masked write key, setup steps), mappings and their version, ingestion statistics'),
  '/api/integrations/segment/mappings': {
    ...get('mappings', 'The mapping rules in force and their version'),
    put: {
      tags: ['mappings'],
      summary: 'Replace the rule set (saved as a SignalMappingsChanged event); answers the new version',
      security: adminAuth,
      requestBody: jsonBody({ type: 'object', required: ['rules'], properties: { rules: { type: 'array', items: rule }, expectedVersion: { type: 'integer' }, changedBy: { type: 'string' }, reason: { type: 'string' } } }),
      responses: { '200': answer('saved', obj), '409': answer('another version was saved meanwhile'), ...errorAnswers },
    },
  },
  '/api/integrations/segment/mappings/history': get('mappings', 'Every saved version, newest first: who, when, what', [queryParam('limit', 'versions (default 20)')]),
  '/api/customers/{id}/signals': get('health', "A customer's signals, newest first", [
    customer,
    queryParam('type', 'signal type'),
    queryParam('from', 'ISO-8601, inclusive'),
    queryParam('to', 'ISO-8601, exclusive'),
    queryParam('limit', 'page size (default 50, at most 500)'),
    queryParam('cursor', 'nextCursor of the previous page'),
  ], { '404': answer('no such customer') }),
  '/api/customers/{id}/health': get('health', 'Health score 0-100 with its components, as of the newest signal and as of now', [customer], { '404': answer('no such customer') }),
  '/api/alerts': get('health', "The workspace's alerts, newest first", [
    queryParam('customerId', 'customer id or Segment group id'),
    queryParam('kind', 'risk-signal, score-threshold or usage-drop'),
    queryParam('limit', 'page size'),
    queryParam('cursor', 'nextCursor of the previous page'),
  ]),
  '/api/alerts/stream': {
    get: {
      tags: ['health'],
      summary: 'Server-Sent Events of alerts as they are raised (Last-Event-ID resumes)',
      security: [...adminAuth, { adminTokenQuery: [] }],
      parameters: [queryParam('token', 'admin token (EventSource cannot set headers)')],
      responses: { '200': { description: 'event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, '401': errorAnswers['401'] },
    },
  },
  '/api/admin/replay': {
    post: {
      tags: ['replay'],
      summary: 'Rebuild attribution, signals, health and alerts under the current mappings into a new version, then switch reads',
      security: adminAuth,
      responses: { '202': answer('started; Location names its status', obj), '409': answer('a replay is running'), ...errorAnswers },
    },
  },
  '/api/admin/replay/preview': {
    post: {
      tags: ['replay'],
      summary: 'Dry run: per customer, how signals and health would change under the proposed rules',
      security: adminAuth,
      requestBody: jsonBody({ type: 'object', properties: { rules: { type: 'array', items: rule } } }),
      responses: { '200': answer('predicted changes', obj), ...errorAnswers },
    },
  },
  '/api/admin/replay/{id}': get('replay', 'Progress of a replay: events done and total, rate, ETA; changes once switched', [pathParam('id', 'replay id')], { '404': answer('no such replay') }),
};
