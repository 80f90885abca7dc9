import type { ActionDefinition, InputField } from '@segment/actions-core';
import { deliverBatch, deliverOne, CallType, MappedCall } from './deliver';
import { accountField, batchingFields, identityFields, propertiesField, traitsField } from './fields';
import type { Settings } from './settings';

function callAction(
  type: CallType,
  title: string,
  description: string,
  fields: Record<string, InputField>,
): ActionDefinition<Settings, MappedCall> {
  return {
    title,
    description,
    defaultSubscription: `type = "${type}"`,
    fields: { ...identityFields, ...fields, ...batchingFields },
    perform: (request, { settings, payload }) => deliverOne(request, settings, type, payload),
    performBatch: (request, { settings, payload }) => deliverBatch(request, settings, type, payload),
  };
}

const text = (label: string, description: string, path: string, required = false): InputField => ({
  label,
  description,
  type: 'string',
  required,
  default: { '@path': path },
});

export const trackEvent = callAction('track', 'Track Event', 'Send a product event (feature use, report created...).', {
  event: text('Event Name', 'The name of the event.', '$.event', true),
  properties: propertiesField,
  groupId: accountField,
});

export const identifyUser = callAction('identify', 'Identify User', 'Send who a user is and their traits.', {
  traits: traitsField,
  groupId: accountField,
});

export const groupAccount = callAction('group', 'Group Account', 'Link a user to an account and send its traits.', {
  groupId: text('Group ID', 'The Segment groupId of the account.', '$.groupId', true),
  traits: traitsField,
});

export const trackPage = callAction('page', 'Track Page View', 'Send a page view.', {
  name: text('Page Name', 'The name of the page.', '$.name'),
  category: text('Page Category', 'The category of the page.', '$.category'),
  properties: propertiesField,
  groupId: accountField,
});

export const trackScreen = callAction('screen', 'Track Screen View', 'Send a mobile screen view.', {
  name: text('Screen Name', 'The name of the screen.', '$.name'),
  properties: propertiesField,
  groupId: accountField,
});
