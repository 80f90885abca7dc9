import type Router from '@koa/router';
import type { Context } from 'koa';
import { PassThrough } from 'node:stream';
import type { LiveEvent } from '../../live/liveEvent';
import type { LiveFeed } from '../../live/liveFeed';
import type { WorkspaceRegistry } from '../../workspaces/workspaceRegistry';
import { HttpError } from '../httpError';

const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/monitor/stream`: Server-Sent Events of the signed-in workspace's calls as they move through the
 * service. Starts with the latest events (after `Last-Event-ID` when the browser reconnects). EventSource cannot
 * set headers, so the admin token may come as `?token=`. The stream ends when the service stops.
 */
export function mountMonitorStream(
  router: Router,
  deps: { feed: LiveFeed; workspaces: WorkspaceRegistry; callProjections: () => readonly string[] },
): void {
  const { feed, workspaces } = deps;
  router.get('/api/monitor/stream', (ctx) => {
    const workspace = adminOf(ctx, workspaces);
    const afterSeq = Number(ctx.get('last-event-id') || ctx.query.after || 0) || 0;

    const stream = new PassThrough();
    const send = (event: LiveEvent) => stream.write(`id: ${event.seq}\nevent: call\ndata: ${JSON.stringify(event)}\n\n`);
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.status = 200;
    ctx.type = 'text/event-stream';
    ctx.set('Cache-Control', 'no-cache, no-transform');
    ctx.set('X-Accel-Buffering', 'no'); // proxies must pass events through as they come
    ctx.body = stream;

    stream.write('retry: 2000\n\n');
    // Which read models a call passes through: the monitor counts a call projected once all of them have it.
    stream.write(`event: hello\ndata: ${JSON.stringify({ projections: deps.callProjections() })}\n\n`);
    for (const event of feed.recent(workspace._id, afterSeq)) send(event);
    const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const unsubscribe = feed.subscribe(workspace._id, send, () => stream.end());
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    stream.on('close', stop);
    ctx.req.on('close', () => {
      stop();
      stream.end();
    });
  });
}

function adminOf(ctx: Context, workspaces: WorkspaceRegistry) {
  const header = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'))?.[1]?.trim();
  const token = header ?? (typeof ctx.query.token === 'string' ? ctx.query.token : undefined);
  const workspace = token ? workspaces.byAdminToken(token) : undefined;
  if (!workspace) throw new HttpError(401, 'unauthorized', 'a valid admin token is required (Bearer header or ?token=)');
  return workspace;
}
