import { defaultValues } from '@segment/actions-core';
import type { DestinationDefinition, Preset } from '@segment/actions-core';
import { groupAccount, identifyUser, trackEvent, trackPage, trackScreen } from './actions';
import { AUTH_CHECK_PATH, endpointUrl, Settings } from './settings';

const actions = { trackEvent, identifyUser, groupAccount, trackPage, trackScreen };

/** One preset per call type, each mapping with its action's defaults, as Segment's catalog destinations do. */
const presets: Preset[] = (
  [
    ['Track Calls', 'trackEvent', 'track'],
    ['Identify Calls', 'identifyUser', 'identify'],
    ['Group Calls', 'groupAccount', 'group'],
    ['Page Calls', 'trackPage', 'page'],
    ['Screen Calls', 'trackScreen', 'screen'],
  ] as const
).map(([name, partnerAction, type]) => ({
  name,
  partnerAction,
  subscribe: `type = "${type}"`,
  mapping: defaultValues(actions[partnerAction].fields),
  type: 'automatic',
}));

/**
 * CSCX.AI as a Segment Destination Actions destination: Segment's platform maps each subscribed event with these
 * actions and delivers it to the CSCX.AI webhook, authenticated by the workspace's write key (HTTP Basic user).
 */
const destination: DestinationDefinition<Settings> = {
  name: 'CSCX.AI',
  slug: 'actions-cscx-ai',
  mode: 'cloud',
  description: 'Send product usage to CSCX.AI, where customer success teams see it per customer account.',
  authentication: {
    scheme: 'custom',
    fields: {
      writeKey: {
        label: 'Write Key',
        description: 'Your CSCX.AI workspace write key (CSCX.AI > Settings > Segment).',
        type: 'password',
        required: true,
      },
      endpoint: {
        label: 'CSCX.AI URL',
        description: 'The base URL of your CSCX.AI workspace, which includes its region.',
        type: 'string',
        format: 'uri',
        required: true,
      },
    },
    testAuthentication: (request, { settings }) => request(endpointUrl(settings, AUTH_CHECK_PATH), { method: 'get' }),
  },
  extendRequest: ({ settings }) => ({
    headers: { Authorization: `Basic ${Buffer.from(`${settings.writeKey}:`).toString('base64')}` },
  }),
  presets,
  actions,
};

export default destination;
