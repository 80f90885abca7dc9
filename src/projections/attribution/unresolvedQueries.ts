import type { ReadStore } from '../../readstore/port';
import { ReadModelVersions } from '../readModelVersion';
import { SEGMENT_EVENTS, SegmentEventDoc, UNRESOLVED, UnresolvedDoc } from './documents';

/** How many of a list's calls the API shows in full (the count is always complete). */
const CALLS_SHOWN = 20;

/** Calls still without a customer, by what they wait for, oldest first: what an admin has to act on. */
export class UnresolvedQueries {
  constructor(
    private readonly readStore: ReadStore,
    private readonly versions: ReadModelVersions = ReadModelVersions.fixed('attribution'),
  ) {}

  async list(workspaceId: string, limit: number) {
    const lists = await (await this.readStore.collection<UnresolvedDoc>(this.versions.physicalName(UNRESOLVED))).find(
      { workspaceId },
      { sort: [['since', 1]], limit },
    );
    const shownIds = lists.flatMap((l) => l.eventIds.slice(0, CALLS_SHOWN));
    const rows = shownIds.length
      ? await (await this.readStore.collection<SegmentEventDoc>(this.versions.physicalName(SEGMENT_EVENTS))).getMany(shownIds)
      : [];
    const byId = new Map(rows.map((r) => [r._id, r]));
    return lists.map((list) => {
      const [kind, ...rest] = list.waitingFor.split(':');
      return {
        waitingFor: { kind, id: rest.join(':') },
        reason: list.reason,
        since: list.since,
        callCount: list.eventIds.length,
        calls: list.eventIds
          .slice(0, CALLS_SHOWN)
          .map((id) => byId.get(id))
          .filter((r): r is SegmentEventDoc => r !== undefined)
          .map((r) => ({ eventId: r._id, messageId: r.messageId, type: r.callType, name: r.name, userId: r.userId, anonymousId: r.anonymousId, timestamp: r.timestamp })),
      };
    });
  }
}
