import { randomUUID } from 'node:crypto';

/** Realistic Segment calls for tests: what Segment's Webhooks (Actions) destination delivers. */
let clock = Date.parse('2026-11-01T09:00:00.000Z');
const nextTimestamp = () => new Date((clock += 1000)).toISOString();

const base = (type: string, extra: Record<string, unknown>) => ({
  type,
  messageId: `msg-${randomUUID()}`,
  timestamp: nextTimestamp(),
  sentAt: new Date().toISOString(),
  context: { library: { name: 'analytics.js', version: '4.1.0' } },
  integrations: {},
  version: 2,
  ...extra,
});

export const track = (extra: Record<string, unknown> = {}) =>
  base('track', { userId: 'user_123', event: 'Feature Used', properties: { feature: 'dashboards' }, ...extra });
export const identify = (extra: Record<string, unknown> = {}) =>
  base('identify', { userId: 'user_123', traits: { email: 'jane@acme.com', name: 'Jane Doe' }, ...extra });
export const group = (extra: Record<string, unknown> = {}) =>
  base('group', { userId: 'user_123', groupId: 'account_456', traits: { name: 'Acme Corp', plan: 'enterprise' }, ...extra });
export const page = (extra: Record<string, unknown> = {}) =>
  base('page', { userId: 'user_123', name: 'Dashboard', properties: { path: '/dashboard' }, ...extra });
