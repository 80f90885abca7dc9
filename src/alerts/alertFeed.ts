import type { Logger } from 'pino';
import type { AlertDoc } from '../projections/health/documents';
import type { HealthQueries } from '../projections/health/queries';
import { CoalescedPass } from '../shared/coalescedPass';

export type AlertListener = (alert: AlertDoc) => void;

const PAGE = 500;

/**
 * Pushes alerts as the live read model commits them. The live runner pokes the feed after every committed batch;
 * the feed reads the alerts past the last one it pushed (alerts are ordered by log position) and hands them to
 * the listeners of their workspace and to the sinks (the outbound webhook). Reading after the commit, rather than
 * collecting alerts while a batch is handled, means a batch that fails and is retried never pushes twice, and a
 * rebuild's historical alerts are never pushed at all: they lie before the feed's position.
 */
export class AlertFeed {
  private lastKey = '';
  /** Looks for new alerts when poked: one look at a time, one more if poked meanwhile. */
  private readonly looks = new CoalescedPass(() => this.pushNew());
  private readonly listeners = new Map<string, Set<AlertListener>>();

  constructor(
    private readonly health: HealthQueries,
    private readonly sinks: readonly AlertListener[],
    private readonly logger: Logger,
  ) {}

  /** Starts after the newest stored alert: alerts raised before the service started are not pushed again. */
  async start(): Promise<void> {
    this.lastKey = await this.health.newestFeedKey();
  }

  subscribe(workspaceId: string, listener: AlertListener): () => void {
    let set = this.listeners.get(workspaceId);
    if (!set) this.listeners.set(workspaceId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(workspaceId);
    };
  }

  /** Something was committed: look for new alerts. */
  poke(): void {
    this.looks.poke();
  }

  /** Resolves when the feed has pushed everything it was poked about (shutdown, tests). */
  settled(): Promise<void> {
    return this.looks.settled();
  }

  private async pushNew(): Promise<void> {
    try {
      for (;;) {
        const alerts = await this.health.alertsAfter(this.lastKey, PAGE);
        for (const alert of alerts) this.emit(alert);
        if (alerts.length > 0) this.lastKey = alerts[alerts.length - 1]!.feedKey;
        if (alerts.length < PAGE) break;
      }
    } catch (error) {
      // The next commit pokes again; alerts are read from the store, so none is lost meanwhile.
      this.logger.warn({ err: error }, 'alert feed could not read new alerts');
    }
  }

  private emit(alert: AlertDoc): void {
    for (const listener of [...(this.listeners.get(alert.workspaceId) ?? []), ...this.sinks]) {
      try {
        listener(alert);
      } catch (error) {
        this.logger.warn({ err: error, alert: alert._id }, 'alert listener failed');
      }
    }
  }
}
