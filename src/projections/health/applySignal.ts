import { docId } from '../attribution/documents';
import { alertsFor } from '../../domain/signals/healthAlerts';
import { addSignal, EMPTY_HEALTH, HealthScore, scoreOf } from '../../domain/signals/healthScore';
import type { SignalDoc } from '../signals/documents';
import type { UnitOfWork } from '../unitOfWork';
import { AlertDoc, CUSTOMER_HEALTH, feedKeyOf, HEALTH_ALERTS, HealthDoc } from './documents';

/**
 * Recomputes a customer's health with one more signal and records the alerts that signal raises. Guarded by
 * log position: if the health document has seen `position` (a batch re-delivered after a partial write), the
 * signal is counted already and nothing happens.
 */
export async function applySignalToHealth(uow: UnitOfWork, signal: SignalDoc, position: number): Promise<void> {
  const id = docId(signal.workspaceId, signal.customerId);
  const alerts: AlertDoc[] = [];
  await uow.update<HealthDoc>(CUSTOMER_HEALTH, id, position, (current) => {
    const state = addSignal(current?.state ?? EMPTY_HEALTH, {
      signalType: signal.signalType,
      weight: signal.weight,
      timestamp: signal.timestamp,
      feature: featureOf(signal),
    });
    const after = scoreOf(state, state.latestAt!);
    const before: HealthScore | null = current
      ? { score: current.score, band: current.band, components: current.components, usage: current.usage, asOf: current.asOf }
      : null;
    const decisions = alertsFor({
      signalType: signal.signalType,
      eventName: signal.eventName,
      signalProperties: JSON.parse(signal.properties) as Record<string, unknown>,
      before,
      after,
      usageDropOpen: current?.usageDropOpen ?? false,
    });
    for (const decision of decisions) {
      const alertId = docId(signal.workspaceId, `${decision.kind}:${signal.eventId}`);
      alerts.push({
        _id: alertId,
        _pos: position,
        workspaceId: signal.workspaceId,
        customerId: signal.customerId,
        kind: decision.kind,
        severity: decision.severity,
        message: decision.message,
        details: JSON.stringify(decision.details),
        eventId: signal.eventId,
        score: after.score,
        raisedAt: signal.timestamp,
        position,
        feedKey: feedKeyOf(position, alertId),
      });
    }
    return {
      _id: id,
      workspaceId: signal.workspaceId,
      customerId: signal.customerId,
      score: after.score,
      band: after.band,
      components: after.components,
      usage: after.usage,
      asOf: after.asOf,
      state,
      usageDropOpen: after.usage.dropped,
      lastSignalId: signal.eventId,
      signalCount: (current?.signalCount ?? 0) + 1,
    };
  });
  for (const alert of alerts) uow.put(HEALTH_ALERTS, alert);
}

function featureOf(signal: SignalDoc): string {
  const feature = (JSON.parse(signal.properties) as Record<string, unknown>).feature;
  return typeof feature === 'string' && feature ? feature.slice(0, 100) : signal.eventName;
}
