import type Router from '@koa/router';
import { alertView } from '../../alerts/alertView';
import type { AlertDoc } from '../../projections/health/documents';
import type { Services } from '../../service';
import { adminWorkspace } from '../middleware/adminAuth';
import { openEventStream } from '../sse/eventStream';

const FEED_KEY = /^\d{16}\|.+$/;

/**
 * `GET /api/alerts/stream`: Server-Sent Events of the workspace's alerts as they are raised (`event: alert`, the
 * id is the alert's feed position). A reconnecting EventSource sends `Last-Event-ID` and first gets what it
 * missed.
 */
export function mountAlertStream(router: Router, services: Services): void {
  router.get('/api/alerts/stream', async (ctx) => {
    const workspace = adminWorkspace(ctx, services.workspaces, { allowQuery: true });
    const lastEventId = ctx.get('last-event-id');
    let sentUpTo = '';
    let buffered: AlertDoc[] | undefined = [];
    const stream = openEventStream(ctx);
    const send = (alert: AlertDoc) => {
      if (alert.feedKey <= sentUpTo) return;
      sentUpTo = alert.feedKey;
      stream.send('alert', alertView(alert), alert.feedKey);
    };
    // Subscribe before reading what was missed, and hold live alerts until then: none falls in between.
    stream.onClose(
      services.signals.alertFeed.subscribe(workspace._id, (alert) => (buffered ? buffered.push(alert) : send(alert))),
    );
    stream.send('ready', { workspace: workspace._id });

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
