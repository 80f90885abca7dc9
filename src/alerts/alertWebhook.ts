import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import type { AlertDoc } from '../projections/health/documents';
import { alertView } from './alertView';

export interface AlertWebhookOptions {
  readonly url: string;
  /** When set, `X-CSCX-Signature` carries the hex HMAC-SHA256 of the body, so the receiver can check the sender. */
  readonly secret?: string;
  readonly maxAttempts?: number;
  /** The first retry's delay; each further one doubles it, up to a minute. */
  readonly retryBaseMs?: number;
  readonly timeoutMs?: number;
}

const backoff = (baseMs: number, attempt: number) => Math.min(60_000, baseMs * 2 ** (attempt - 1));

/**
 * POSTs each alert to an outbound webhook, retrying timeouts, network errors, 408, 429 and 5xx with exponential
 * backoff. Deliveries are at least once (the receiver deduplicates on `X-CSCX-Alert-Id`) and held in memory:
 * alerts pending when the process stops are not retried after a restart (they stay in `GET /api/alerts`).
 */
export class AlertWebhook {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  delivered = 0;
  failed = 0;

  constructor(
    private readonly options: AlertWebhookOptions,
    private readonly logger: Logger,
  ) {}

  readonly sink = (alert: AlertDoc): void => this.attempt(alert, 1);

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private attempt(alert: AlertDoc, attempt: number): void {
    if (this.stopped) return;
    const delivery = this.post(alert).then(
      () => {
        this.delivered += 1;
      },
      (error: Error & { retry?: boolean }) => {
        const maxAttempts = this.options.maxAttempts ?? 8;
        if (error.retry === false || attempt >= maxAttempts) {
          this.failed += 1;
          this.logger.error({ err: error, alert: alert._id, attempt }, 'alert webhook delivery abandoned');
          return;
        }
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.attempt(alert, attempt + 1);
        }, backoff(this.options.retryBaseMs ?? 500, attempt));
        this.timers.add(timer);
      },
    );
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
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
