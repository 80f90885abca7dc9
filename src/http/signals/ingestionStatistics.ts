import { CUSTOMERS, SEGMENT_EVENTS, SegmentEventDoc, UNRESOLVED } from '../../projections/attribution/documents';
import { DEAD_LETTERS } from '../../projections/deadLetters/deadLetter';
import { HEALTH_ALERTS } from '../../projections/health/documents';
import { SIGNALS } from '../../projections/signals/documents';
import type { Services } from '../../service';

/** What the configuration screen shows of a workspace's traffic, from the read models. */
export async function ingestionStatistics(services: Services, workspaceId: string) {
  const { readStore } = services;
  const { versions } = services.signals;
  const deadLetters = await (await readStore.collection(DEAD_LETTERS)).count({ workspaceId });
  return versions.read(async (physical) => {
    const count = async (collection: string) => (await readStore.collection(physical(collection))).count({ workspaceId });
    const events = await readStore.collection<SegmentEventDoc>(physical(SEGMENT_EVENTS));
    const [newest] = await events.find({ workspaceId }, { sort: [['sortKey', -1]], limit: 1 });
    return {
      eventsStored: await count(SEGMENT_EVENTS),
      customers: await count(CUSTOMERS),
      unresolvedGroups: await count(UNRESOLVED),
      signals: await count(SIGNALS),
      alerts: await count(HEALTH_ALERTS),
      deadLetters,
      lastEventAt: newest?.timestamp ?? null,
      lastReceivedAt: newest?.receivedAt ?? null,
      readModelVersion: versions.current().version,
    };
  });
}
