import type { Context, Next } from 'koa';
import { Admission, OverloadedError } from '../../reliability/admission';
import { HttpError } from '../httpError';
import { isIngestRequest } from '../ingestPaths';


/**
 * In front of every entry point that ingests: refuses at once, before reading the body, when the service cannot
 * take calls now, and turns an overload met later (a backlog too large for this request) into 429/503 with
 * Retry-After, which Segment retries.
 */
export function admissionGate(admission: Admission) {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      if (isIngestRequest(ctx.method, ctx.path)) await admission.precheck();
      await next();
    } catch (error) {
      if (!(error instanceof OverloadedError)) throw error;
      ctx.state.log?.warn({ reason: error.reason, status: error.status }, 'ingest request refused');
      throw new HttpError(
        error.status,
        error.status === 429 ? 'overloaded' : 'unavailable',
        `${error.message}; retry later`,
        { reason: error.reason, retryAfterSeconds: error.retryAfterSeconds },
        { 'Retry-After': String(error.retryAfterSeconds) },
      );
    }
  };
}
