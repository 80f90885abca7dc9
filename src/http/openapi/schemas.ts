/** Reusable pieces of the OpenAPI document: schemas, parameters and answers shared by many operations. */

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export const schemas = {
  Error: {
    type: 'object',
    required: ['error', 'message'],
    properties: {
      error: { type: 'string', description: 'machine-readable code' },
      message: { type: 'string' },
      path: { type: 'string', description: 'the field or parameter at fault' },
      requestId: { type: 'string' },
    },
  },
  FieldError: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
  SegmentCall: {
    type: 'object',
    description: 'A Segment Spec call (track, identify, group, page, screen, alias, or delete). Unknown fields are kept.',
    required: ['type'],
    properties: {
      type: { type: 'string', enum: ['track', 'identify', 'group', 'page', 'screen', 'alias', 'delete'] },
      messageId: { type: 'string', maxLength: 100 },
      userId: { type: ['string', 'null'] },
      anonymousId: { type: ['string', 'null'] },
      groupId: { type: 'string' },
      previousId: { type: 'string' },
      event: { type: 'string' },
      name: { type: 'string' },
      properties: { type: 'object' },
      traits: { type: 'object' },
      context: { type: 'object' },
      timestamp: { type: 'string', format: 'date-time' },
      sentAt: { type: 'string', format: 'date-time' },
      originalTimestamp: { type: 'string', format: 'date-time' },
    },
    additionalProperties: true,
  },
  IngestSummary: {
    type: 'object',
    required: ['accepted', 'duplicates', 'rejected'],
    properties: {
      accepted: { type: 'integer', description: 'calls stored by this request' },
      duplicates: { type: 'integer', description: 'calls whose messageId was already stored' },
      rejected: {
        type: 'array',
        items: {
          type: 'object',
          properties: { index: { type: 'integer' }, messageId: { type: 'string' }, errors: { type: 'array', items: ref('FieldError') } },
        },
      },
    },
  },
  Customer: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      name: { type: ['string', 'null'] },
      groupIds: { type: 'array', items: { type: 'string' } },
      domains: { type: 'array', items: { type: 'string' } },
      source: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
      eventCount: { type: 'integer' },
      lastActivityAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  CustomerEvent: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      messageId: { type: 'string' },
      type: { type: 'string' },
      name: { type: ['string', 'null'] },
      userId: { type: ['string', 'null'] },
      anonymousId: { type: ['string', 'null'] },
      timestamp: { type: 'string', format: 'date-time' },
      receivedAt: { type: 'string', format: 'date-time' },
      status: { type: 'object' },
      call: {
        description: 'the call as stored, personal data opened; null if the event store no longer holds the event',
        anyOf: [ref('SegmentCall'), { type: 'null' }],
      },
    },
  },
  DeadLetter: {
    type: 'object',
    required: ['id', 'kind', 'status', 'failedAt', 'errors'],
    properties: {
      id: { type: 'string' },
      kind: { type: 'string', enum: ['rejected-call', 'projection-failure'] },
      status: { type: 'string', enum: ['open', 'resolved'] },
      workspaceId: { type: 'string' },
      failedAt: { type: 'string', format: 'date-time' },
      messageId: { type: 'string' },
      errors: { type: 'array', items: ref('FieldError') },
      projection: { type: 'string' },
      eventId: { type: 'string' },
      eventType: { type: 'string' },
      streamName: { type: 'string' },
      position: { type: 'integer' },
      attempts: { type: 'integer' },
      stack: { type: 'string' },
      retries: { type: 'integer' },
      lastRetryAt: { type: 'string', format: 'date-time' },
      lastRetryErrors: { type: 'array', items: ref('FieldError') },
      resolvedAt: { type: 'string', format: 'date-time' },
      resolvedEventId: { type: 'string' },
      payload: { description: 'the call as received, or the failed event as stored' },
    },
  },
  Health: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['ok', 'degraded', 'ready', 'not_ready'] },
      eventStore: { type: 'string', enum: ['up', 'down'] },
      readStore: { type: 'string', enum: ['up', 'down'] },
      projections: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            lagEvents: { type: 'integer' },
            lagSeconds: { type: 'number' },
            running: { type: 'boolean' },
            // retrying/failed: served unindexed; the reason is in `reasons`
            indexes: { type: 'string', enum: ['built', 'waiting', 'building', 'retrying', 'failed'] },
          },
        },
      },
      reasons: { type: 'array', items: { type: 'string' } },
    },
  },
} as const;

const json = (schema: unknown) => ({ 'application/json': { schema } });

export const answer = (description: string, schema: unknown = ref('Error')) => ({ description, content: json(schema) });

export const errorAnswers = {
  '400': answer('invalid input; the error names the field path'),
  '401': answer('missing or wrong credentials'),
};

/** Answers of every ingesting operation when the service sheds load or a store is down (Segment retries them). */
export const overloadAnswers = {
  '429': { ...answer('too many calls waiting to be stored; retry after Retry-After seconds'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
  '503': { ...answer('event store unavailable or read models too far behind; retry after Retry-After seconds'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
};

export const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
export const queryParam = (name: string, description: string, schema: unknown = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
export const jsonBody = (schema: unknown, description?: string) => ({ required: true, description, content: json(schema) });
