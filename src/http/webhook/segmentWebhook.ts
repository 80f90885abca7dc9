import type Router from '@koa/router';
import type { Context } from 'koa';
import type { IngestSummary } from '../../commands/ingestSegmentCalls';
import type { Services } from '../../service';
import { HttpError } from '../httpError';
import { authenticateSender } from './authenticateSender';
import { withinDeadline } from './deadline';
import { parseCalls } from './parseCalls';
import { readRawBody } from './readRawBody';

/** Webhooks (Actions) batches hold up to 4,000 calls of up to 32 KB; bodies past this are refused unread. */
export const WEBHOOK_MAX_BODY_BYTES = 16 * 1024 * 1024;
export const WEBHOOK_MAX_CALLS = 4000;

/**
 * Where Segment's calls enter: `POST /api/integrations/segment/webhook` (PUT and PATCH too, as Webhooks
 * (Actions) can be set to use them). Answers 200 only once the accepted calls are durably stored.
 */
export function mountSegmentWebhook(router: Router, services: Services): void {
  const handler = async (ctx: Context) => {
    const receivedAt = new Date();
    const raw = await readRawBody(ctx, WEBHOOK_MAX_BODY_BYTES);
    let parsed: ReturnType<typeof parseCalls> | undefined;
    const parse = () => (parsed ??= parseCalls(raw, ctx.get('content-type'), { maxCalls: WEBHOOK_MAX_CALLS }));
    const workspace = authenticateSender(ctx, services.workspaces, raw, parse);
    const { calls, callBytes } = parse();
    const summary = await withinDeadline(
      services.ingest({
        workspaceId: workspace._id,
        calls,
        callBytes,
        receivedAt,
        correlationId: ctx.state.requestId as string,
        source: 'segment-webhook',
      }),
    );
    answer(ctx, summary);
  };
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
