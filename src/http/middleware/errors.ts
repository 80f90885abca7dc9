import type { Context, Next } from 'koa';
import { EventStoreUnavailableError } from '../../eventstore/port';
import { ProjectionsElsewhereError } from '../../projections/runner';
import { OverloadedError } from '../../reliability/admission';
import { ReadStoreUnavailableError } from '../../readstore/port';
import { HttpError } from '../httpError';

/** Seconds Segment (or any client) should wait before retrying when a store is down. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Turns every failure into a JSON answer. Client mistakes are 4xx with what to fix; an unavailable store is 503
 * with Retry-After (Segment retries 5xx for hours); anything else is a 500 that names the request id but not
 * the internals.
 */
export async function errorAnswers(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error) {
    if (error instanceof HttpError) {
      ctx.status = error.status;
      for (const [name, value] of Object.entries(error.headers ?? {})) ctx.set(name, value);
      ctx.body = { error: error.code, message: error.message, ...error.details };
      return;
    }
    if (error instanceof OverloadedError) {
      ctx.state.log?.warn({ reason: error.reason, status: error.status }, 'ingest request refused');
      ctx.status = error.status;
      ctx.set('Retry-After', String(error.retryAfterSeconds));
      ctx.body = {
        error: error.status === 429 ? 'overloaded' : 'unavailable',
        message: `${error.message}; retry later`,
        reason: error.reason,
        retryAfterSeconds: error.retryAfterSeconds,
      };
      return;
    }
    if (error instanceof ProjectionsElsewhereError) {
      ctx.status = 409;
      ctx.body = { error: 'projections_elsewhere', message: error.message };
      return;
    }
    if (error instanceof EventStoreUnavailableError || error instanceof ReadStoreUnavailableError) {
      ctx.status = 503;
      ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
      ctx.body = { error: 'unavailable', message: 'storage is unavailable; retry later', requestId: ctx.state.requestId };
      ctx.state.log?.warn({ err: error }, 'store unavailable');
      return;
    }
    const status = (error as { status?: number; expose?: boolean }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Errors raised by Koa itself or its body parser for client mistakes (bad JSON, too large, ...).
      ctx.status = status;
      ctx.body = { error: 'bad_request', message: (error as Error).message };
      return;
    }
    ctx.status = 500;
    ctx.body = { error: 'internal', message: 'internal error', requestId: ctx.state.requestId };
    ctx.state.log?.error({ err: error }, 'unhandled error');
  }
}
