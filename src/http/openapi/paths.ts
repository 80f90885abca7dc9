import { TRACKING_CALL_TYPES } from '../tracking/trackingCalls';
import { identityPaths } from '../customers/openApiPaths';
import { signalsPaths } from '../signals/openApiPaths';
import { answer, errorAnswers, jsonBody, overloadAnswers, pathParam, queryParam, ref } from './schemas';

const senderAuth = [{ writeKeyBasic: [] }, { writeKeyBearer: [] }, { signature: [] }];
const adminAuth = [{ adminToken: [] }];
const tags = (name: string) => [name];

const webhookBody = jsonBody(
  {
    oneOf: [
      ref('SegmentCall'),
      { type: 'array', maxItems: 4000, items: ref('SegmentCall') },
      { type: 'object', required: ['batch'], properties: { batch: { type: 'array', items: ref('SegmentCall') }, context: { type: 'object' } } },
    ],
  },
  'one call, an array (Webhooks (Actions) batching, up to 4,000), or the HTTP API batch form',
);

const ingest = (summary: string, workspaceParam: boolean) => ({
  tags: tags('ingestion'),
  summary,
  security: senderAuth,
  parameters: workspaceParam ? [pathParam('workspaceId', 'the workspace, when the sender cannot choose credentials per workspace')] : [],
  requestBody: webhookBody,
  responses: {
    '200': answer('stored (or already stored); answered only after the append is durable', ref('IngestSummary')),
    ...errorAnswers,
    '413': answer('body too large'),
    ...overloadAnswers,
  },
});

const webhookPath = (workspaceParam: boolean) => ({
  post: ingest('Receive Segment calls', workspaceParam),
  put: ingest('Receive Segment calls (Webhooks (Actions) set to PUT)', workspaceParam),
  patch: ingest('Receive Segment calls (Webhooks (Actions) set to PATCH)', workspaceParam),
});

const trackingPaths = Object.fromEntries([
  ...TRACKING_CALL_TYPES.map((type) => [
    `/v1/${type}`,
    { post: { ...ingest(`Segment HTTP Tracking API: ${type}`, false), requestBody: jsonBody(ref('SegmentCall')) } },
  ]),
  ['/v1/batch', { post: { ...ingest('Segment HTTP Tracking API: batch (up to 2,500 calls, 500 KB)', false) } }],
]);

const get = (tag: string, summary: string, schema: unknown, extra: Record<string, unknown> = {}) => ({
  get: { tags: tags(tag), summary, security: adminAuth, responses: { '200': answer('ok', schema), '401': errorAnswers['401'] }, ...extra },
});

/** Every route the app serves. `test/http/openApi.test.ts` fails when a registered route is missing here. */
export const paths: Record<string, Record<string, unknown>> = {
  '/api/integrations/segment/webhook': webhookPath(false),
  '/api/integrations/segment/webhook/{workspaceId}': webhookPath(true),
  ...trackingPaths,
  '/api/integrations/segment/auth': {
    get: { tags: tags('ingestion'), summary: 'Check a write key (for senders\' setup screens)', security: senderAuth, responses: { '200': answer('the key is valid', { type: 'object' }), '401': errorAnswers['401'] } },
  },
  '/api/segment/events/{customerId}': get('read models', "A customer's Segment events, newest first", {
    type: 'object',
    properties: { customer: ref('Customer'), events: { type: 'array', items: ref('CustomerEvent') }, nextCursor: { type: ['string', 'null'] } },
  }, {
    parameters: [
      pathParam('customerId', 'CSCX customer id or Segment groupId'),
      queryParam('limit', '1 to 500, default 50', { type: 'integer' }),
      queryParam('cursor', 'nextCursor of the previous page'),
      queryParam('type', 'only calls of this type'),
    ],
  }),
  ...identityPaths,
  ...signalsPaths,
  '/api/integrations/segment/dlq': get('dead letters', 'Dead letters: rejected calls and events a projection failed on, newest first', {
    type: 'object',
    properties: { deadLetters: { type: 'array', items: ref('DeadLetter') } },
  }, { parameters: [queryParam('limit', '1 to 1000, default 100', { type: 'integer' }), queryParam('status', 'open or resolved')] }),
  '/api/integrations/segment/dlq/{id}': get('dead letters', 'One dead letter with its error, stack, attempts and the call or event', ref('DeadLetter'), {
    parameters: [pathParam('id', 'dead letter id')],
  }),
  '/api/integrations/segment/dlq/{id}/retry': {
    post: {
      tags: tags('dead letters'),
      summary: 'Retry a dead letter: re-run the event through its projection, or re-decode and ingest the rejected call',
      description: 'A resolved letter is never applied again (409). A retry that still fails answers 422 and leaves the letter open.',
      security: adminAuth,
      parameters: [pathParam('id', 'dead letter id')],
      responses: {
        '200': answer('resolved', { type: 'object', properties: { outcome: { const: 'resolved' }, deadLetter: ref('DeadLetter') } }),
        '401': errorAnswers['401'],
        '404': answer('no such dead letter in this workspace'),
        '409': answer('already resolved, being retried, or its projection is not running'),
        '422': answer('still failing; the letter stays open with the new errors', { type: 'object', properties: { outcome: { const: 'still-failing' }, deadLetter: ref('DeadLetter') } }),
        ...overloadAnswers,
      },
    },
  },
  '/api/workspace': get('workspace', "The signed-in workspace's connection details", { type: 'object' }),
  '/api/workspace/write-keys/rotate': {
    post: {
      tags: tags('workspace'),
      summary: 'Rotate the write key; the old one keeps working for graceHours',
      security: adminAuth,
      requestBody: jsonBody({ type: 'object', properties: { graceHours: { type: 'number', minimum: 0 } } }),
      responses: { '200': answer('rotated', { type: 'object' }), ...errorAnswers },
    },
  },
  '/api/monitor/stream': {
    get: {
      tags: tags('monitor'),
      summary: 'Server-Sent Events of calls moving through ingestion and projections',
      security: [...adminAuth, { adminTokenQuery: [] }],
      parameters: [queryParam('token', 'admin token (EventSource cannot set headers)'), queryParam('after', 'resume after this event id')],
      responses: { '200': { description: 'event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, '401': errorAnswers['401'] },
    },
  },
  '/api/chat/command': {
    post: {
      tags: tags('chat'),
      summary: 'Plain-language requests: Segment events or health of an account, mapping configuration, replay status',
      security: adminAuth,
      requestBody: jsonBody({ type: 'object', required: ['text'], properties: { text: { type: 'string', maxLength: 500 } } }),
      responses: { '200': answer('the answer, with the data it names', { type: 'object' }), ...errorAnswers },
    },
  },
  '/api/customers/{id}/health/history': {
    get: {
      tags: tags('health'),
      summary: "The health score after each of a customer's latest signals, oldest first",
      security: adminAuth,
      parameters: [pathParam('id', 'customer id or Segment group id'), queryParam('limit', 'signals to fold (default 500, at most 2000)')],
      responses: { '200': answer('score points', { type: 'object' }), '404': answer('no such customer'), ...errorAnswers },
    },
  },
  '/healthz': { get: { tags: tags('operations'), summary: 'Liveness, with the current state', security: [], responses: { '200': answer('alive', ref('Health')) } } },
  '/readyz': {
    get: {
      tags: tags('operations'),
      summary: 'Readiness: are new calls taken (store reachable, projections not too far behind)?',
      security: [],
      responses: { '200': answer('ready', ref('Health')), '503': answer('not ready; reasons listed', ref('Health')) },
    },
  },
  '/metrics': {
    get: {
      tags: tags('operations'),
      summary: 'Prometheus metrics (open, or behind METRICS_TOKEN when it is set)',
      security: [{}, { metricsToken: [] }],
      responses: {
        '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } },
        '401': errorAnswers['401'],
      },
    },
  },
  '/openapi.json': { get: { tags: tags('operations'), summary: 'This document', security: [], responses: { '200': answer('OpenAPI 3.1', { type: 'object' }) } } },
};
