import type Router from '@koa/router';
import type { LiveEvent } from '../../live/liveEvent';
import type { LiveFeed } from '../../live/liveFeed';
import type { WorkspaceRegistry } from '../../workspaces/workspaceRegistry';
import { adminWorkspace } from '../middleware/adminAuth';
import { openEventStream } from '../sse/eventStream';

/**
 * `GET /api/monitor/stream`: Server-Sent Events of the signed-in workspace's calls as they move through the
 * service. Starts with the latest events (after `Last-Event-ID` when the browser reconnects). The stream ends
 * when the service stops.
 */
export function mountMonitorStream(
  router: Router,
  deps: { feed: LiveFeed; workspaces: WorkspaceRegistry; callProjections: () => readonly string[] },
): void {
  const { feed, workspaces } = deps;
  router.get('/api/monitor/stream', (ctx) => {
    const workspace = adminWorkspace(ctx, workspaces, { allowQuery: true });
    const afterSeq = Number(ctx.get('last-event-id') || ctx.query.after || 0) || 0;
    const stream = openEventStream(ctx);
    const send = (event: LiveEvent) => stream.send('call', event, event.seq);
    // Which read models a call passes through: the monitor counts a call projected once all of them have it.
    stream.send('hello', { projections: deps.callProjections() });
    for (const event of feed.recent(workspace._id, afterSeq)) send(event);
    stream.onClose(feed.subscribe(workspace._id, send, () => stream.end()));
  });
}
