import type Router from '@koa/router';
import type { Context } from 'koa';
import { MAX_CALL_BYTES } from '../../domain/segment/decodeCall';
import type { Services } from '../../service';
import { authenticateSender } from '../webhook/authenticateSender';
import type { ParsedCalls } from '../webhook/parseCalls';
import { receiveCalls } from '../webhook/receiveCalls';
import { answer } from '../webhook/segmentWebhook';
import { asSegmentLimitError, batchCalls, singleCallFor, TRACKING_CALL_TYPES } from './trackingCalls';

/** Segment's HTTP Tracking API limits: 32 KB per call, 500 KB and 2,500 calls per batch. */
export const TRACKING_MAX_BATCH_BYTES = 500 * 1024;
export const TRACKING_MAX_BATCH_CALLS = 2500;

/**
 * Segment's HTTP Tracking API (`POST /v1/track` ... `/v1/batch`), so Segment's and RudderStack's server SDKs
 * can send to us directly (their `host` option). Same pipeline as the webhook; answers Segment's
 * `{"success": true}` with our summary alongside.
 */
export function mountTrackingApi(router: Router, services: Services): void {
  for (const type of TRACKING_CALL_TYPES) {
    router.post(`/v1/${type}`, (ctx) => receive(ctx, services, MAX_CALL_BYTES, (parsed) => [singleCallFor(type, parsed)]));
  }
  router.post('/v1/batch', (ctx) => receive(ctx, services, TRACKING_MAX_BATCH_BYTES, batchCalls));

  /** For senders' setup screens (the CSCX.AI destination's testAuthentication): is this write key valid? */
  router.get('/api/integrations/segment/auth', (ctx) => {
    const workspace = authenticateSender(ctx, services.workspaces, Buffer.alloc(0));
    ctx.body = { success: true, workspace: { id: workspace._id, name: workspace.name } };
  });
}

async function receive(
  ctx: Context,
  services: Services,
  maxBodyBytes: number,
  callsOf: (parsed: ParsedCalls) => readonly unknown[],
): Promise<void> {
  const summary = await receiveCalls(ctx, services, {
    source: 'segment-tracking-api',
    maxBodyBytes,
    maxCalls: TRACKING_MAX_BATCH_CALLS,
    contentType: (c) => declaredJson(c.get('content-type')),
    callsOf,
    asAnswer: asSegmentLimitError,
  });
  answer(ctx, summary);
  ctx.body = { success: true, ...(ctx.body as object) };
}

/**
 * RudderStack's Node SDK posts its gzipped JSON batches as `application/x-www-form-urlencoded` (axios' default
 * for a Buffer), and RudderStack's and Segment's servers read them as JSON anyway; so do we. Other non-JSON
 * types are still refused (415).
 */
function declaredJson(contentType: string): string {
  return /^application\/x-www-form-urlencoded\b/i.test(contentType) ? 'application/json' : contentType;
}
