/**
 * Realistic Segment traffic: many accounts, a few dozen users each; mostly track calls, then identify, group and
 * page, as a B2B product sends them. Message ids are unique per run, so every call is new to the service.
 */
export interface TrafficShape {
  readonly customers: number;
  readonly usersPerCustomer: number;
}

export const DEFAULT_SHAPE: TrafficShape = { customers: 2000, usersPerCustomer: 25 };

const FEATURES = ['dashboards', 'reports', 'alerts', 'exports', 'integrations', 'billing', 'admin', 'search'];
const EVENTS = ['Feature Used', 'Report Viewed', 'Dashboard Created', 'Alert Configured', 'Export Downloaded', 'Invite Sent'];
const PAGES = ['/dashboard', '/reports', '/settings', '/billing', '/team', '/integrations'];

export class Traffic {
  private counter = 0;
  private seed = 12345;
  constructor(
    private readonly runId: string,
    private readonly shape: TrafficShape = DEFAULT_SHAPE,
  ) {}

  /** A deterministic pseudo-random integer below `n` (the same run sends the same mix). */
  private pick(n: number): number {
    this.seed = (this.seed * 1103515245 + 12345) & 0x7fffffff;
    return this.seed % n;
  }

  next(): Record<string, unknown> {
    const n = ++this.counter;
    const customer = this.pick(this.shape.customers);
    const user = this.pick(this.shape.usersPerCustomer);
    const groupId = `acct_${customer}`;
    const userId = `user_${customer}_${user}`;
    const now = new Date();
    const base = {
      messageId: `bench-${this.runId}-${n}`,
      userId,
      anonymousId: `anon-${customer}-${user}`,
      timestamp: now.toISOString(),
      sentAt: now.toISOString(),
      context: {
        library: { name: 'analytics-node', version: '2.1.0' },
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
        ...(this.pick(2) === 0 ? { groupId } : {}),
      },
      integrations: {},
      version: 2,
    };
    const roll = this.pick(100);
    if (roll < 70) {
      return {
        ...base,
        type: 'track',
        event: EVENTS[this.pick(EVENTS.length)],
        properties: { feature: FEATURES[this.pick(FEATURES.length)], durationMs: this.pick(60_000), plan: 'enterprise', seats: 50 },
      };
    }
    if (roll < 80) {
      return { ...base, type: 'identify', traits: { email: `${userId}@example.com`, name: `User ${user}`, role: 'admin', createdAt: '2025-01-02T03:04:05Z' } };
    }
    if (roll < 90) {
      return { ...base, type: 'group', groupId, traits: { name: `Account ${customer}`, plan: 'enterprise', employees: 120, industry: 'software' } };
    }
    return { ...base, type: 'page', name: 'App', properties: { path: PAGES[this.pick(PAGES.length)], referrer: '', title: 'CSCX' } };
  }

  batch(size: number): Record<string, unknown>[] {
    return Array.from({ length: size }, () => this.next());
  }
}
