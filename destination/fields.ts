import type { InputField } from '@segment/actions-core';

/**
 * Field definitions shared by the actions. Every default maps from the Segment event to what the CSCX.AI webhook
 * needs: who (userId / anonymousId), which account (groupId), when (timestamp), and the messageId it
 * deduplicates on.
 */
export const identityFields: Record<string, InputField> = {
  messageId: {
    label: 'Message ID',
    description: 'The Segment messageId; CSCX.AI stores each message once, so a retried delivery is not counted twice.',
    type: 'string',
    required: true,
    default: { '@path': '$.messageId' },
  },
  userId: {
    label: 'User ID',
    description: 'Your identifier of the user.',
    type: 'string',
    allowNull: true,
    default: { '@path': '$.userId' },
  },
  anonymousId: {
    label: 'Anonymous ID',
    description: 'The anonymous identifier, so activity before sign-in is attributed once the user is known.',
    type: 'string',
    allowNull: true,
    default: { '@path': '$.anonymousId' },
  },
  timestamp: {
    label: 'Timestamp',
    description: 'When the event happened (CSCX.AI orders activity by this, not by arrival).',
    type: 'string',
    format: 'date-time',
    required: true,
    default: { '@path': '$.timestamp' },
  },
  context: {
    label: 'Context',
    description: 'The Segment context (library, page, device...).',
    type: 'object',
    default: { '@path': '$.context' },
  },
};

/** Which account an activity belongs to; without it CSCX.AI uses the account the user was last grouped with. */
export const accountField: InputField = {
  label: 'Account (Group ID)',
  description: 'The Segment groupId of the account this activity belongs to.',
  type: 'string',
  allowNull: true,
  default: { '@path': '$.context.groupId' },
};

export const propertiesField: InputField = {
  label: 'Properties',
  description: 'The properties of the event or view.',
  type: 'object',
  default: { '@path': '$.properties' },
};

export const traitsField: InputField = {
  label: 'Traits',
  description: 'Traits of the user or account (name, plan, email...).',
  type: 'object',
  default: { '@path': '$.traits' },
};

/** Segment's platform reads these two to deliver events in batches to `performBatch`. */
export const batchingFields: Record<string, InputField> = {
  enable_batching: {
    label: 'Send in batches',
    description: 'Deliver events in batches (fewer requests; CSCX.AI answers per event).',
    type: 'boolean',
    default: true,
  },
  batch_size: {
    label: 'Batch size',
    description: 'Events per batch, at most 4,000.',
    type: 'number',
    minimum: 1,
    maximum: 4000,
    default: 1000,
    unsafe_hidden: true,
  },
};
