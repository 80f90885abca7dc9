import { bandRank, HealthScore } from './healthScore';

export type AlertKind = 'risk-signal' | 'score-threshold' | 'usage-drop';
export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface AlertDecision {
  readonly kind: AlertKind;
  readonly severity: AlertSeverity;
  readonly message: string;
  readonly details: Record<string, unknown>;
}

export interface AlertInputs {
  readonly signalType: string;
  readonly eventName: string;
  readonly signalProperties: Record<string, unknown>;
  readonly before: HealthScore | null;
  readonly after: HealthScore;
  /** Whether a usage drop was already alerted and has not recovered since: one alert per drop. */
  readonly usageDropOpen: boolean;
}

/**
 * What one new signal raises: a risk signal always; a score falling into a worse band (crossing 70 or 40
 * downwards); the start of a usage drop against the customer's own baseline. Pure.
 */
export function alertsFor(input: AlertInputs): AlertDecision[] {
  const alerts: AlertDecision[] = [];
  const { after, before } = input;
  if (input.signalType === 'risk') {
    alerts.push({
      kind: 'risk-signal',
      severity: 'warning',
      message: `Risk signal: ${input.eventName}`,
      details: { event: input.eventName, properties: input.signalProperties, score: after.score },
    });
  }
  if (before && bandRank(after.band) > bandRank(before.band)) {
    alerts.push({
      kind: 'score-threshold',
      severity: after.band === 'at-risk' ? 'critical' : 'warning',
      message: `Health fell from ${before.score} (${before.band}) to ${after.score} (${after.band})`,
      details: { from: before.score, to: after.score, fromBand: before.band, toBand: after.band },
    });
  }
  if (after.usage.dropped && !input.usageDropOpen) {
    alerts.push({
      kind: 'usage-drop',
      severity: 'warning',
      message: `Usage dropped: ${after.usage.lastWeek} adoption signals in the last 7 days against a baseline of ${after.usage.weeklyBaseline} a week`,
      details: { ...after.usage },
    });
  }
  return alerts;
}
