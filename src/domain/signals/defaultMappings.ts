import type { MappingSet } from './mappingRules';

/**
 * The rules every workspace starts with (version 0), as the product requirements name them. Engage audience
 * membership becomes signals of its own types, which an admin can remap (for example an "at risk" audience to
 * `risk`) with a condition on `audience_key`.
 */
export const DEFAULT_MAPPINGS: MappingSet = {
  version: 0,
  rules: [
    {
      id: 'feature-used',
      description: 'Product usage counts towards adoption',
      event: { equals: 'Feature Used' },
      signalType: 'adoption',
      weight: 1,
      enabled: true,
      properties: [{ from: 'feature', to: 'feature' }],
    },
    {
      id: 'upgrade-started',
      description: 'An upgrade flow started is an expansion opportunity',
      event: { equals: 'Upgrade Started' },
      signalType: 'expansion',
      weight: 1,
      enabled: true,
      properties: [
        { from: 'plan', to: 'plan' },
        { from: 'seats', to: 'seats' },
      ],
    },
    {
      id: 'support-ticket-opened',
      description: 'A support ticket is a risk signal',
      event: { equals: 'Support Ticket Opened' },
      signalType: 'risk',
      weight: 1,
      enabled: true,
      properties: [
        { from: 'priority', to: 'priority' },
        { from: 'subject', to: 'subject' },
      ],
    },
    {
      id: 'engage-audience-entered',
      description: 'Segment Engage: the user entered an audience',
      event: { equals: 'Audience Entered' },
      signalType: 'audience_entered',
      weight: 1,
      enabled: true,
      properties: [{ from: 'audience_key', to: 'audience' }],
    },
    {
      id: 'engage-audience-exited',
      description: 'Segment Engage: the user left an audience',
      event: { equals: 'Audience Exited' },
      signalType: 'audience_exited',
      weight: 1,
      enabled: true,
      properties: [{ from: 'audience_key', to: 'audience' }],
    },
  ],
};
