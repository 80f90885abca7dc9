import type { Context, Next } from 'koa';
import type { Admission } from '../../reliability/admission';
import { isIngestRequest } from '../ingestPaths';

/**
 * In front of every entry point that ingests: refuses at once, before the body is read, when the service cannot
 * take calls now. The refusal (and one met later, a backlog too large for the request) is an OverloadedError,
 * which the error middleware answers 429/503 with Retry-After; Segment retries those.
 */
export function admissionGate(admission: Admission) {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (isIngestRequest(ctx.method, ctx.path)) {
      const probing = admission.precheck();
      if (probing) await probing;
    }
    return next();
  };
}
