// Folds the live events of one call into where it is now: its status and the steps it went through.

export const STATUS_LABELS = {
  received: 'Received',
  stored: 'Stored',
  attributed: 'Attributed',
  unresolved: 'Unresolved',
  projected: 'Projected',
  failed: 'Failed',
};

export const statusKind = (status) =>
  ({ failed: 'bad', unresolved: 'warn', projected: 'good', attributed: 'good', stored: 'info', received: 'neutral' })[status] ?? 'neutral';

const STEP_LABELS = {
  received: 'Received',
  stored: 'Stored durably',
  rejected: 'Rejected',
  attributed: 'Attributed',
  unresolved: 'Unresolved — waiting for an identify or group call',
  projected: 'Projected',
  failed: 'Failed',
};

/** `projections`: read models that must have handled a call before it counts as projected. */
export function callProgress(entry, projections) {
  const events = [...entry.events].sort((a, b) => a.seq - b.seq);
  const pick = (field) => events.map((e) => e[field]).find((v) => v !== null && v !== undefined) ?? null;
  const has = (stage) => events.some((e) => e.stage === stage);
  const passedBy = new Set(events.filter((e) => ['attributed', 'unresolved', 'projected'].includes(e.stage)).map((e) => e.projection));
  const customerId = [...events].reverse().find((e) => e.stage === 'attributed')?.customerId ?? pick('customerId');
  let status = 'received';
  if (has('stored')) status = 'stored';
  if (has('attributed')) status = 'attributed';
  else if (has('unresolved')) status = 'unresolved';
  if (status !== 'unresolved' && projections.length > 0 && projections.every((p) => passedBy.has(p))) status = 'projected';
  if (has('failed') || has('rejected')) status = 'failed';
  return {
    key: entry.key,
    status,
    messageId: pick('messageId'),
    callType: pick('callType'),
    name: pick('name'),
    userId: pick('userId'),
    anonymousId: pick('anonymousId'),
    groupId: pick('groupId'),
    customerId,
    firstAt: events[0]?.at,
    errors: events.flatMap((e) => e.errors ?? []),
    steps: events.map((e) => ({
      stage: e.stage,
      kind: e.stage === 'failed' || e.stage === 'rejected' ? 'bad' : e.stage === 'unresolved' ? 'warn' : 'good',
      label: e.projection === 'rejected-calls' ? 'Listed as a dead letter' : e.stage === 'projected' && e.projection ? `Projected by ${e.projection}` : STEP_LABELS[e.stage] ?? e.stage,
      detail: e.stage === 'attributed' ? `to customer ${e.customerId}` : e.stage === 'failed' && e.projection ? `in ${e.projection}` : null,
      at: e.at,
    })),
  };
}
