import type { AlertKind, AlertSeverity } from '../../domain/signals/healthAlerts';
import type { Band, HealthComponents, HealthState, UsageBaseline } from '../../domain/signals/healthScore';
import type { ProjectedDoc } from '../unitOfWork';

export const CUSTOMER_HEALTH = 'customer_health';
export const HEALTH_ALERTS = 'health_alerts';

/** A customer's health as of its newest signal, with the state it is computed from. `_id`: `<ws>:<customerId>`. */
export interface HealthDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly customerId: string;
  readonly score: number;
  readonly band: Band;
  readonly components: HealthComponents;
  readonly usage: UsageBaseline;
  readonly asOf: string;
  readonly state: HealthState;
  /** A usage drop was alerted and usage has not recovered since. */
  readonly usageDropOpen: boolean;
  readonly lastSignalId: string;
  readonly signalCount: number;
}

/** One alert. `_id` is derived from the event that raised it and the kind: a redelivery raises nothing new. */
export interface AlertDoc extends ProjectedDoc {
  readonly workspaceId: string;
  readonly customerId: string;
  readonly kind: AlertKind;
  readonly severity: AlertSeverity;
  readonly message: string;
  /** Details as JSON text. */
  readonly details: string;
  readonly eventId: string;
  readonly score: number;
  /** Segment timestamp of the event that raised it. */
  readonly raisedAt: string;
  /** Log position at which it was raised: the order of the alert feed. */
  readonly position: number;
  /** Position (zero-padded) then id: a total order for the feed and for paging. */
  readonly feedKey: string;
}

export const feedKeyOf = (position: number, id: string) => `${String(position).padStart(16, '0')}|${id}`;
