import type { Context } from 'koa';
import { PassThrough } from 'node:stream';

const HEARTBEAT_MS = 15_000;

export interface EventStream {
  /** Writes one Server-Sent Event. */
  send(event: string, data: unknown, id?: string | number): void;
  /** Runs once when the client goes away or the stream is ended. */
  onClose(cleanup: () => void): void;
  end(): void;
}

/**
 * Answers the request with a Server-Sent Events stream: no socket timeout, no proxy buffering, a reconnect hint
 * and a heartbeat that keeps idle connections open through proxies.
 */
export function openEventStream(ctx: Context): EventStream {
  const stream = new PassThrough();
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.status = 200;
  ctx.type = 'text/event-stream';
  ctx.set('Cache-Control', 'no-cache, no-transform');
  ctx.set('X-Accel-Buffering', 'no'); // proxies must pass events through as they come
  ctx.body = stream;
  stream.write('retry: 2000\n\n');

  const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const cleanups: (() => void)[] = [() => clearInterval(heartbeat)];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    for (const cleanup of cleanups) cleanup();
  };
  stream.on('close', close);
  ctx.req.on('close', () => {
    close();
    stream.end();
  });
  return {
    send: (event, data, id) => {
      stream.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    onClose: (cleanup) => cleanups.push(cleanup),
    end: () => stream.end(),
  };
}
