import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * `ctx.state` of every request: its id and its child logger. The child logger is made when something logs: most
 * requests log nothing, and making one costs more than the rest of this middleware.
 */
class RequestState {
  [key: string]: unknown;
  private child: Logger | undefined;

  constructor(
    readonly requestId: string,
    private readonly logger: Logger,
  ) {}

  get log(): Logger {
    return (this.child ??= this.logger.child({ requestId: this.requestId }));
  }

  set log(logger: Logger) {
    this.child = logger;
  }
}

/** Gives every request an id (the caller's X-Request-Id if it is sane), a child logger, and an access log line. */
export function requestContext(logger: Logger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const given = ctx.get('x-request-id');
    const requestId = given && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    ctx.state = Object.assign(new RequestState(requestId, logger), ctx.state);
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
