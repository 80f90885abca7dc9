import { request } from 'undici';
import { Samples } from './stats';

/**
 * Webhook-to-read-model latency through the public API: the live monitor's Server-Sent Events say when the
 * attribution read model has committed a call (stage `attributed` or `unresolved`, or plain `projected` by
 * attribution for a batch too large to look up). The time from sending the call to that event is the latency a
 * CSM's screen sees.
 */
export class ReadModelWatch {
  readonly latency = new Samples();
  private readonly sentAt = new Map<string, number>();
  private abort = new AbortController();
  private seen = 0;

  sent(messageId: string): void {
    this.sentAt.set(messageId, performance.now());
  }

  get matched(): number {
    return this.seen;
  }

  async open(url: string, adminToken: string): Promise<void> {
    const response = await request(`${url}/api/monitor/stream?token=${encodeURIComponent(adminToken)}`, { signal: this.abort.signal });
    if (response.statusCode !== 200) throw new Error(`monitor stream answered ${response.statusCode}`);
    let buffer = '';
    response.body.setEncoding('utf8');
    response.body.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.split('\n').find((line) => line.startsWith('data: '));
        if (data) this.onEvent(JSON.parse(data.slice(6)) as { stage: string; messageId: string | null; projection: string | null });
      }
    });
    response.body.on('error', () => undefined);
  }

  private onEvent(event: { stage: string; messageId: string | null; projection: string | null }): void {
    const committed =
      event.stage === 'attributed' || event.stage === 'unresolved' || (event.stage === 'projected' && event.projection === 'attribution');
    if (!committed) return;
    const sent = event.messageId === null ? undefined : this.sentAt.get(event.messageId);
    if (sent === undefined) return;
    this.sentAt.delete(event.messageId!);
    this.seen += 1;
    this.latency.add(performance.now() - sent);
  }

  close(): void {
    this.abort.abort();
  }
}
