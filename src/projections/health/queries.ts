import type { ReadStore } from '../../readstore/port';
import { docId } from '../attribution/documents';
import type { ReadModelVersions } from '../readModelVersion';
import { AlertDoc, CUSTOMER_HEALTH, HEALTH_ALERTS, HealthDoc } from './documents';

export interface AlertQuery {
  readonly customerId?: string;
  readonly kind?: string;
  /** Feed key of the last alert of the previous page (newest first). */
  readonly before?: string;
  readonly limit: number;
}

/** Reads of health and alerts, through the current read-model version. Scoped to a workspace. */
export class HealthQueries {
  constructor(
    private readonly readStore: ReadStore,
    private readonly versions: ReadModelVersions,
  ) {}

  async customerHealth(workspaceId: string, customerId: string): Promise<HealthDoc | null> {
    return this.versions.read(async (physical) =>
      (await this.readStore.collection<HealthDoc>(physical(CUSTOMER_HEALTH))).get(docId(workspaceId, customerId)),
    );
  }

  async allHealth(workspaceId: string): Promise<HealthDoc[]> {
    return this.versions.read(async (physical) =>
      (await this.readStore.collection<HealthDoc>(physical(CUSTOMER_HEALTH))).find({ workspaceId }, { sort: [['_id', 1]] }),
    );
  }

  /** A workspace's alerts, newest first. */
  async alerts(workspaceId: string, query: AlertQuery): Promise<AlertDoc[]> {
    return this.versions.read(async (physical) =>
      (await this.readStore.collection<AlertDoc>(physical(HEALTH_ALERTS))).find(
        { workspaceId, customerId: query.customerId, kind: query.kind, feedKey: query.before ? { $lt: query.before } : undefined },
        { sort: [['feedKey', -1]], limit: query.limit },
      ),
    );
  }

  /** Alerts raised after a feed key, oldest first; every workspace unless one is named. What feeds push. */
  async alertsAfter(feedKey: string, limit: number, workspaceId?: string): Promise<AlertDoc[]> {
    return this.versions.read(async (physical) =>
      (await this.readStore.collection<AlertDoc>(physical(HEALTH_ALERTS))).find(
        { workspaceId, feedKey: { $gt: feedKey } },
        { sort: [['feedKey', 1]], limit },
      ),
    );
  }

  async newestFeedKey(): Promise<string> {
    const [newest] = await this.versions.read(async (physical) =>
      (await this.readStore.collection<AlertDoc>(physical(HEALTH_ALERTS))).find({}, { sort: [['feedKey', -1]], limit: 1 }),
    );
    return newest?.feedKey ?? '';
  }
}
