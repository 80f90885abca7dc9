import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Gives every request an id (the caller's X-Request-Id if it is sane), a child logger, and an access log line. */
export function requestContext(logger: Logger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const given = ctx.get('x-request-id');
    const requestId = given && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    ctx.state.requestId = requestId;
    // The child logger is made when something logs: most requests log nothing, and making one costs more than
    // the rest of this middleware.
    let log: Logger | undefined;
    Object.defineProperty(ctx.state, 'log', {
      get: () => (log ??= logger.child({ requestId })),
      set: (value: Logger) => (log = value),
      enumerable: true,
      configurable: true,
    });
    ctx.set('X-Request-Id', requestId);
    if (!logger.isLevelEnabled('debug')) return next();
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      (ctx.state.log as Logger).debug({ method: ctx.method, path: ctx.path, status: ctx.status, ms }, 'request');
    }
  };
}
