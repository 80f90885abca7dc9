import type { HealthDoc } from '../projections/health/documents';

/** How one customer's signals and health differ between two versions of the read model. */
export interface CustomerChange {
  readonly customerId: string;
  readonly signals: { readonly before: Record<string, number>; readonly after: Record<string, number> };
  readonly health: { readonly before: number | null; readonly after: number | null };
  readonly band: { readonly before: string | null; readonly after: string | null };
}

export interface ChangeReport {
  readonly customersCompared: number;
  readonly customersChanged: number;
  readonly signalsBefore: number;
  readonly signalsAfter: number;
  readonly customers: readonly CustomerChange[];
}

/** Per customer, what differs between the health documents of two versions (signal counts by type, score). */
export function diffHealth(before: readonly HealthDoc[], after: readonly HealthDoc[]): ChangeReport {
  const byCustomer = new Map<string, { before?: HealthDoc; after?: HealthDoc }>();
  for (const doc of before) byCustomer.set(doc.customerId, { before: doc });
  for (const doc of after) byCustomer.set(doc.customerId, { ...byCustomer.get(doc.customerId), after: doc });
  const customers: CustomerChange[] = [];
  for (const [customerId, pair] of [...byCustomer].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const change: CustomerChange = {
      customerId,
      signals: { before: { ...(pair.before?.state.totals ?? {}) }, after: { ...(pair.after?.state.totals ?? {}) } },
      health: { before: pair.before?.score ?? null, after: pair.after?.score ?? null },
      band: { before: pair.before?.band ?? null, after: pair.after?.band ?? null },
    };
    const same =
      change.health.before === change.health.after &&
      change.band.before === change.band.after &&
      sameCounts(change.signals.before, change.signals.after);
    if (!same) customers.push(change);
  }
  const total = (docs: readonly HealthDoc[]) => docs.reduce((sum, d) => sum + d.signalCount, 0);
  return {
    customersCompared: byCustomer.size,
    customersChanged: customers.length,
    signalsBefore: total(before),
    signalsAfter: total(after),
    customers,
  };
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => (a[key] ?? 0) === (b[key] ?? 0));
}
