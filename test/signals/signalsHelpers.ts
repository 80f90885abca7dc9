import { expect } from 'chai';
import { group, track } from '../support/segmentCalls';
import type { TestService } from '../support/testService';

/** The product requirements' examples, for one account. */
export const productStory = (groupId = 'account_456', userId = 'user_123') => [
  group({ groupId, userId, traits: { name: `Account ${groupId}` } }),
  track({ userId, event: 'Feature Used', properties: { feature: 'dashboards' }, context: { groupId } }),
  track({ userId, event: 'Feature Used', properties: { feature: 'reports' }, context: { groupId } }),
  track({ userId, event: 'Upgrade Started', properties: { plan: 'enterprise', seats: 50 }, context: { groupId } }),
  track({ userId, event: 'Support Ticket Opened', properties: { priority: 'high', subject: 'SSO broken' }, context: { groupId } }),
  track({ userId, event: 'Page Viewed Somewhere', properties: {}, context: { groupId } }),
];

export async function json<T>(response: Response | Promise<Response>, status = 200): Promise<T> {
  const answer = await response;
  const body = (await answer.json()) as T;
  expect(answer.status, JSON.stringify(body)).to.equal(status);
  return body;
}

export async function send(service: TestService, calls: unknown[]): Promise<void> {
  const response = await service.post('/api/integrations/segment/webhook', calls);
  expect(response.status).to.equal(200);
}

export const put = (service: TestService, path: string, body: unknown) =>
  fetch(service.url + path, {
    method: 'PUT',
    headers: { authorization: `Bearer ${service.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

export const postAdmin = (service: TestService, path: string, body: unknown = {}) =>
  fetch(service.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${service.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

export interface SignalView {
  id: string;
  type: string;
  event: string;
  ruleId: string;
  mappingVersion: number;
  properties: Record<string, unknown>;
}

export async function allSignals(service: TestService, customer: string): Promise<SignalView[]> {
  const signals: SignalView[] = [];
  let cursor = '';
  for (let page = 0; page < 100; page++) {
    const body = await json<{ signals: SignalView[]; nextCursor: string | null }>(
      service.get(`/api/customers/${customer}/signals?limit=100&cursor=${cursor}`),
    );
    signals.push(...body.signals);
    if (!body.nextCursor) break;
    cursor = body.nextCursor;
  }
  return signals;
}

export interface ReplayStatusView {
  id: string;
  state: string;
  fromVersion: number;
  toVersion: number;
  progress: { eventsDone: number; eventsTotal: number; eventsPerSecond: number; etaSeconds: number | null };
  changes: unknown;
}
