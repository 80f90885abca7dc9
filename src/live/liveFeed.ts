import { isoFormatter } from '../shared/isoTime';
import { LiveEvent, LiveEventDraft, stamped } from './liveEvent';

export type LiveListener = (event: LiveEvent) => void;

/**
 * The in-process bus the live monitor listens to. Keeps the latest events of each workspace, so a monitor that
 * opens (or reconnects) sees what just happened. Publishing never waits for listeners and never fails because
 * of one: the feed is a view, ingestion must not depend on it.
 */
export class LiveFeed {
  private seq = 0;
  private readonly recentByWorkspace = new Map<string, LiveEvent[]>();
  private readonly listeners = new Map<string, Set<LiveListener>>();
  private readonly closeHandlers = new Set<() => void>();
  private closed = false;

  constructor(private readonly keepPerWorkspace = 500) {}

  publish(drafts: readonly LiveEventDraft[], now?: Date): void {
    if (this.closed) return;
    const at = now ? now.toISOString() : publishedIso(Date.now());
    for (const draft of drafts) {
      const event = stamped(draft, ++this.seq, at);
      let recent = this.recentByWorkspace.get(draft.workspaceId);
      if (!recent) this.recentByWorkspace.set(draft.workspaceId, (recent = []));
      recent.push(event);
      // Trimmed in chunks: one splice per `keepPerWorkspace` events, not one per event.
      if (recent.length >= 2 * this.keepPerWorkspace) recent.splice(0, recent.length - this.keepPerWorkspace);
      for (const listener of this.listeners.get(draft.workspaceId) ?? []) {
        try {
          listener(event);
        } catch {
          // a broken listener (a closed connection) must not stop the others
        }
      }
    }
  }

  /** The workspace's latest events, oldest first, after a sequence number. */
  recent(workspaceId: string, afterSeq = 0): LiveEvent[] {
    return (this.recentByWorkspace.get(workspaceId) ?? []).slice(-this.keepPerWorkspace).filter((e) => e.seq > afterSeq);
  }

  /**
   * The items that can still be seen once published: all of a watched workspace's, and the newest
   * `keepPerWorkspace` of the others (nobody would see the older ones). A catch-up batch of thousands then builds
   * a few hundred live events instead of one per call.
   */
  visible<T>(items: readonly T[], workspaceOf: (item: T) => string): T[] {
    const counts = new Map<string, number>();
    const kept: T[] = [];
    for (let i = items.length - 1; i >= 0; i--) {
      const workspaceId = workspaceOf(items[i]!);
      const seen = counts.get(workspaceId) ?? 0;
      if (seen < this.keepPerWorkspace || this.hasListeners(workspaceId)) kept.push(items[i]!);
      counts.set(workspaceId, seen + 1);
    }
    return kept.reverse();
  }

  /** Drops a removed workspace's latest events (nobody can sign in to see them any more). */
  forgetWorkspace(workspaceId: string): void {
    this.recentByWorkspace.delete(workspaceId);
  }

  hasListeners(workspaceId: string): boolean {
    return (this.listeners.get(workspaceId)?.size ?? 0) > 0;
  }

  /** Listens to one workspace; `onClose` runs when the feed closes (the service stops). Returns the unsubscribe. */
  subscribe(workspaceId: string, listener: LiveListener, onClose: () => void = () => undefined): () => void {
    if (this.closed) {
      onClose();
      return () => undefined;
    }
    const set = this.listeners.get(workspaceId) ?? new Set();
    set.add(listener);
    this.listeners.set(workspaceId, set);
    this.closeHandlers.add(onClose);
    return () => {
      set.delete(listener);
      this.closeHandlers.delete(onClose);
    };
  }

  /** Ends every subscription (so open event streams do not keep the server from stopping). */
  close(): void {
    this.closed = true;
    for (const handler of [...this.closeHandlers]) handler();
    this.closeHandlers.clear();
    this.listeners.clear();
  }
}

/** Ingestion publishes twice per request: the time is formatted once per millisecond. */
const publishedIso = isoFormatter();
