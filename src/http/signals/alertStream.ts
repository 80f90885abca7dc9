import type Router from '@koa/router';
import type { Context } from 'koa';
import { PassThrough } from 'node:stream';
import { alertView } from '../../alerts/alertView';
import type { AlertDoc } from '../../projections/health/documents';
import type { Services } from '../../service';
import { HttpError } from '../httpError';

const HEARTBEAT_MS = 15_000;
const FEED_KEY = /^\d{16}\|.+$/;

/**
 * `GET /api/alerts/stream`: Server-Sent Events of the workspace's alerts as they are raised (`event: alert`, the
 * id is the alert's feed position). A reconnecting EventSource sends `Last-Event-ID` and first gets what it
 * missed. EventSource cannot set headers, so the admin token may come as `?token=`.
 */
export function mountAlertStream(router: Router, services: Services): void {
  router.get('/api/alerts/stream', async (ctx) => {
    const workspace = adminOf(ctx, services);
    const lastEventId = ctx.get('last-event-id');
    const stream = new PassThrough();
    let sentUpTo = '';
    let buffered: AlertDoc[] | undefined = [];
    const send = (alert: AlertDoc) => {
      if (alert.feedKey <= sentUpTo) return;
      sentUpTo = alert.feedKey;
      stream.write(`id: ${alert.feedKey}\nevent: alert\ndata: ${JSON.stringify(alertView(alert))}\n\n`);
    };
    // Subscribe before reading what was missed, and hold live alerts until then: none falls in between.
    const unsubscribe = services.signals.alertFeed.subscribe(workspace._id, (alert) => (buffered ? buffered.push(alert) : send(alert)));

    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.status = 200;
    ctx.type = 'text/event-stream';
    ctx.set('Cache-Control', 'no-cache, no-transform');
    ctx.set('X-Accel-Buffering', 'no');
    ctx.body = stream;
    stream.write('retry: 2000\n\n');
    stream.write(`event: ready\ndata: ${JSON.stringify({ workspace: workspace._id })}\n\n`);

    const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    stream.on('close', stop);
    ctx.req.on('close', () => {
      stop();
      stream.end();
    });

    try {
      if (FEED_KEY.test(lastEventId)) {
        for (const alert of await services.signals.health.alertsAfter(lastEventId, 500, workspace._id)) send(alert);
      }
    } finally {
      const held = buffered;
      buffered = undefined;
      for (const alert of held) send(alert);
    }
  });
}

function adminOf(ctx: Context, services: Services) {
  const header = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'))?.[1]?.trim();
  const token = header ?? (typeof ctx.query.token === 'string' ? ctx.query.token : undefined);
  const workspace = token ? services.workspaces.byAdminToken(token) : undefined;
  if (!workspace) {
    ctx.set('WWW-Authenticate', 'Bearer');
    throw new HttpError(401, 'unauthorized', 'a valid admin token is required (Bearer header or ?token=)');
  }
  return workspace;
}
