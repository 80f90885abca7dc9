import type Router from '@koa/router';
import { DEAD_LETTER_STATUSES, DEAD_LETTERS, DeadLetterDoc } from '../../projections/deadLetters/deadLetter';
import { DeadLetterRetry, RetryRefused } from '../../projections/deadLetters/deadLetterRetry';
import type { ReadStore } from '../../readstore/port';
import { HttpError } from '../httpError';
import { workspaceOf } from '../middleware/adminAuth';
import { parseLimit, singleQuery } from '../read/cursor';

const REFUSAL_STATUS: Record<RetryRefused['reason'], number> = {
  'not-found': 404,
  'already-resolved': 409,
  'in-progress': 409,
  'projection-unknown': 409,
};

/**
 * Listing, inspecting and retrying dead letters, all in one view. Behind the admin token; a letter of another
 * workspace is answered 404, as if it did not exist.
 */
export function mountDeadLetterRoutes(router: Router, deps: { readStore: ReadStore; retry: DeadLetterRetry }): void {
  router.get('/api/integrations/segment/dlq', async (ctx) => {
    const limit = parseLimit(singleQuery(ctx, 'limit'), 100, 1000);
    const status = singleQuery(ctx, 'status');
    if (status !== undefined && !(DEAD_LETTER_STATUSES as string[]).includes(status)) {
      throw new HttpError(400, 'invalid_status', `status must be one of ${DEAD_LETTER_STATUSES.join(', ')}`, { path: 'status' });
    }
    const letters = await (await deps.readStore.collection<DeadLetterDoc>(DEAD_LETTERS)).find(
      { workspaceId: workspaceOf(ctx)._id, status },
      { sort: [['failedAt', -1]], limit },
    );
    ctx.body = { deadLetters: letters.map(deadLetterView) };
  });

  router.get('/api/integrations/segment/dlq/:id', async (ctx) => {
    const letter = await (await deps.readStore.collection<DeadLetterDoc>(DEAD_LETTERS)).get(ctx.params.id!);
    if (!letter || letter.workspaceId !== workspaceOf(ctx)._id) throw notFound(ctx.params.id!);
    ctx.body = deadLetterView(letter);
  });

  router.post('/api/integrations/segment/dlq/:id/retry', async (ctx) => {
    try {
      const result = await deps.retry.retry(workspaceOf(ctx)._id, ctx.params.id!, ctx.state.requestId as string);
      ctx.state.log?.info({ deadLetter: ctx.params.id, outcome: result.outcome, messageId: result.letter.messageId }, 'dead letter retried');
      ctx.status = result.outcome === 'resolved' ? 200 : 422;
      ctx.body = { outcome: result.outcome, deadLetter: deadLetterView(result.letter) };
    } catch (error) {
      if (error instanceof RetryRefused) {
        throw new HttpError(REFUSAL_STATUS[error.reason], error.reason.replace(/-/g, '_'), error.message, { path: 'id' });
      }
      throw error;
    }
  });
}

/** A letter for the API: `id` instead of `_id`, the stored call or event as JSON when it parses. */
export function deadLetterView({ _id, payload, ...letter }: DeadLetterDoc): Record<string, unknown> {
  return { id: _id, ...letter, payload: parseOrText(payload) };
}

const notFound = (id: string) => new HttpError(404, 'not_found', `no dead letter ${id}`, { path: 'id' });

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
