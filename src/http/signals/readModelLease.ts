import type { Context, Next } from 'koa';
import type { ReadModelVersions } from '../../projections/readModelVersion';

/**
 * Holds the read-model version that is current when a request starts until its handler has finished, so a
 * replay switching versions never drops collections a request is still reading. (An SSE handler returns once
 * the stream is set up, so streams hold nothing.)
 */
export const readModelLease = (versions: ReadModelVersions) => (ctx: Context, next: Next): Promise<void> =>
  versions.read(() => next());
