import { EventStoreUnavailableError } from '../../src/eventstore/port';
import type { Services } from '../../src/service';
import type { TestService } from '../support/testService';

/**
 * A realistic product session as an app would send it through an SDK: an anonymous page view, the sign-in
 * (identify, merging the anonymous visitor), the account (group), feature use (tracks without any groupId, as
 * server-side calls come) and a page view.
 */
export interface SessionSdk {
  identify(call: { userId: string; anonymousId?: string; traits: Record<string, unknown> }): void;
  group(call: { userId: string; groupId: string; traits: Record<string, unknown> }): void;
  track(call: { userId: string; event: string; properties: Record<string, unknown> }): void;
  page(call: { userId?: string; anonymousId?: string; name: string; properties: Record<string, unknown> }): void;
}

export function sendSession(sdk: SessionSdk, who: { user: string; account: string; accountName: string }): string[] {
  const anonymousId = `anon-${who.user}`;
  sdk.page({ anonymousId, name: 'Pricing', properties: { path: '/pricing' } });
  sdk.identify({ userId: who.user, anonymousId, traits: { email: `${who.user}@example.com`, plan: 'pro' } });
  sdk.group({ userId: who.user, groupId: who.account, traits: { name: who.accountName, employees: 120 } });
  sdk.track({ userId: who.user, event: 'Report Created', properties: { report: 'churn' } });
  sdk.track({ userId: who.user, event: 'Dashboard Shared', properties: { recipients: 3 } });
  sdk.page({ userId: who.user, name: 'Dashboard', properties: { path: '/dashboard' } });
  return ['page:Pricing', 'identify:', `group:${who.account}`, 'track:Report Created', 'track:Dashboard Shared', 'page:Dashboard'].sort();
}

/** What a customer's event list shows, as `type:name`, sorted (calls an SDK stamps in one millisecond tie). */
export async function customerActivity(service: TestService, groupId: string): Promise<string[]> {
  await service.settled();
  const response = await service.get(`/api/segment/events/${groupId}?limit=500`);
  if (response.status !== 200) return [`(status ${response.status})`];
  const body = (await response.json()) as { events: { type: string; name?: string }[] };
  return body.events.map((e) => `${e.type}:${e.name ?? ''}`).sort();
}

/**
 * Test-only: the event store is "down" for the first `failures` requests (the ingest command throws what a
 * closed store throws), so the service answers them 503 with Retry-After, as in production.
 */
export function storeDownForFirstRequests(services: Services, failures: number): { readonly attempts: () => number } {
  const ingest = services.ingest;
  let attempts = 0;
  services.ingest = async (request) => {
    attempts += 1;
    if (attempts <= failures) throw new EventStoreUnavailableError('event store down (test)');
    return ingest(request);
  };
  return { attempts: () => attempts };
}
