import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import type { AlertDoc } from '../projections/health/documents';
import { CoalescedPass } from '../shared/coalescedPass';
import { alertView } from './alertView';
import type { DeliveryCursor } from './deliveryCursor';

export interface AlertWebhookOptions {
  readonly url: string;
  /** When set, `X-CSCX-Signature` carries the hex HMAC-SHA256 of the body, so the receiver can check the sender. */
  readonly secret?: string;
  readonly maxAttempts?: number;
  /** The first retry's delay; each further one doubles it, up to a minute. */
  readonly retryBaseMs?: number;
  readonly timeoutMs?: number;
}

/** Where the webhook reads alerts from: the health read model, oldest first after a feed key. */
export interface AlertSource {
  alertsAfter(feedKey: string, limit: number): Promise<AlertDoc[]>;
  newestFeedKey(): Promise<string>;
}

const PAGE = 100;
/** Wait before trying again after the read model or the cursor failed. */
const READ_RETRY_MS = 1000;
const backoff = (baseMs: number, attempt: number) => Math.min(60_000, baseMs * 2 ** (attempt - 1));

type Outcome = 'delivered' | 'abandoned' | 'stopped';

/**
 * POSTs alerts to an outbound webhook in the order they were raised, reading them from the read model after a
 * stored cursor (an outbox): an alert pending when the process stops, or raised while the receiver is down, is
 * delivered after the restart. Timeouts, network errors, 408, 429 and 5xx are retried with exponential backoff;
 * the cursor moves past an alert once it is delivered or given up on (after `maxAttempts`, logged). Deliveries
 * are at least once (a crash between the POST and the cursor write sends the alert again): the receiver
 * deduplicates on `X-CSCX-Alert-Id`. One alert at a time, so an unreachable receiver holds the queue rather than
 * reordering it. Only the instance that runs the projections delivers (one cursor, one sender).
 */
export class AlertWebhook {
  private deliveredUpTo = '';
  /** Delivers what is new when poked: one pass at a time, one more if poked meanwhile. */
  private readonly passes = new CoalescedPass(() => this.deliverNew());
  private stopped = false;
  private interruptWait: (() => void) | undefined;
  delivered = 0;
  failed = 0;

  constructor(
    private readonly options: AlertWebhookOptions,
    private readonly source: AlertSource,
    private readonly cursor: DeliveryCursor,
    private readonly logger: Logger,
  ) {}

  /**
   * Resumes from the stored cursor. The first start ever begins after the newest alert: alerts raised before a
   * webhook was configured are history, not news.
   */
  async start(): Promise<void> {
    const stored = await this.cursor.load();
    if (stored === undefined) {
      this.deliveredUpTo = await this.source.newestFeedKey();
      await this.cursor.save(this.deliveredUpTo);
    } else {
      this.deliveredUpTo = stored;
    }
    this.poke();
  }

  /** New alerts may be stored: deliver them. */
  poke(): void {
    if (!this.stopped) this.passes.poke();
  }

  /** Resolves when everything poked about has been delivered or given up on (tests, shutdown). */
  settled(): Promise<void> {
    return this.passes.settled();
  }

  /** Ends waits between retries; the alert being retried stays pending and is sent again after a restart. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.interruptWait?.();
    await this.passes.settled();
  }

  private async deliverNew(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        const alerts = await this.source.alertsAfter(this.deliveredUpTo, PAGE);
        for (const alert of alerts) {
          if ((await this.deliver(alert)) === 'stopped') return;
          this.deliveredUpTo = alert.feedKey;
          await this.cursor.save(alert.feedKey);
        }
        if (alerts.length < PAGE) break;
      }
    } catch (error) {
      // The read model or the cursor could not be read or written: try again from the cursor shortly, rather than
      // only when the next alert is raised (which may be hours away).
      this.logger.warn({ err: error }, 'alert webhook could not read or record alerts');
      setTimeout(() => this.poke(), READ_RETRY_MS).unref();
    }
  }

  private async deliver(alert: AlertDoc): Promise<Outcome> {
    const maxAttempts = this.options.maxAttempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      if (this.stopped) return 'stopped';
      try {
        await this.post(alert);
        this.delivered += 1;
        return 'delivered';
      } catch (caught) {
        const error = caught as Error & { retry?: boolean };
        if (error.retry === false || attempt >= maxAttempts) {
          this.failed += 1;
          this.logger.error({ err: error, alert: alert._id, attempt }, 'alert webhook delivery abandoned');
          return 'abandoned';
        }
        if (this.stopped) return 'stopped'; // the POST failed after stop(): no backoff to wait out
        await this.wait(backoff(this.options.retryBaseMs ?? 500, attempt));
      }
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interruptWait = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref(); // a pending retry does not keep a stopping process alive: the cursor says it is not sent
      this.interruptWait = done;
    });
  }

  private async post(alert: AlertDoc): Promise<void> {
    const body = JSON.stringify({ type: 'cscx.alert', workspaceId: alert.workspaceId, alert: alertView(alert) });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-cscx-alert-id': alert._id };
    if (this.options.secret) headers['x-cscx-signature'] = createHmac('sha256', this.options.secret).update(body).digest('hex');
    const response = await fetch(this.options.url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return;
    const retry = response.status === 408 || response.status === 429 || response.status >= 500;
    throw Object.assign(new Error(`alert webhook answered ${response.status}`), { retry });
  }
}
