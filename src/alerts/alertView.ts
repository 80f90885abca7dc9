import type { AlertDoc } from '../projections/health/documents';

/** An alert as the APIs, the SSE stream and the outbound webhook show it. */
export const alertView = (alert: AlertDoc) => ({
  id: alert._id,
  cursor: alert.feedKey,
  customerId: alert.customerId,
  kind: alert.kind,
  severity: alert.severity,
  message: alert.message,
  details: JSON.parse(alert.details) as unknown,
  score: alert.score,
  eventId: alert.eventId,
  raisedAt: alert.raisedAt,
});

export type AlertView = ReturnType<typeof alertView>;
