import type Router from '@koa/router';
import type { Context } from 'koa';
import type { IngestSummary } from '../../commands/ingestSegmentCalls';
import type { Services } from '../../service';
import { HttpError } from '../httpError';
import { receiveCalls } from './receiveCalls';

/** Webhooks (Actions) batches hold up to 4,000 calls of up to 32 KB; bodies past this are refused unread. */
export const WEBHOOK_MAX_BODY_BYTES = 16 * 1024 * 1024;
export const WEBHOOK_MAX_CALLS = 4000;

/**
 * Where Segment's calls enter: `POST /api/integrations/segment/webhook` (PUT and PATCH too, as Webhooks
 * (Actions) can be set to use them). Answers 200 only once the accepted calls are durably stored.
 */
export function mountSegmentWebhook(router: Router, services: Services): void {
  const entry = { source: 'segment-webhook', maxBodyBytes: WEBHOOK_MAX_BODY_BYTES, maxCalls: WEBHOOK_MAX_CALLS };
  const handler = async (ctx: Context) => answer(ctx, await receiveCalls(ctx, services, entry));
  for (const path of ['/api/integrations/segment/webhook', '/api/integrations/segment/webhook/:workspaceId']) {
    router.post(path, handler);
    router.put(path, handler);
    router.patch(path, handler);
  }
}

/** 200 when anything was stored or already stored; 400 when every call was invalid (retrying cannot help). */
export function answer(ctx: Context, summary: IngestSummary): void {
  const body = { accepted: summary.accepted, duplicates: summary.duplicates, rejected: summary.rejected };
  if (summary.accepted === 0 && summary.duplicates === 0 && summary.rejected.length > 0) {
    const first = summary.rejected[0]!.errors[0];
    throw new HttpError(400, 'invalid_calls', `no valid call: ${first ? `${first.path}: ${first.message}` : 'invalid'}`, body);
  }
  ctx.status = 200;
  ctx.body = body;
}
