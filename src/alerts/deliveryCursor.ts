import type { Doc, ReadStore } from '../readstore/port';

/** Where each outbound alert destination has delivered up to; operational state, never rebuilt by a replay. */
export const ALERT_DELIVERIES = 'alert_deliveries';

interface DeliveryCursorDoc extends Doc {
  /** Feed key of the last alert delivered (or given up on). */
  readonly deliveredUpTo: string;
  readonly updatedAt: string;
}

/** The stored position of one destination in the alert feed, so deliveries resume after a restart. */
export class DeliveryCursor {
  constructor(
    private readonly readStore: ReadStore,
    private readonly destination: string,
  ) {}

  /** The stored feed key, or undefined when this destination has never started. */
  async load(): Promise<string | undefined> {
    const collection = await this.readStore.collection<DeliveryCursorDoc>(ALERT_DELIVERIES);
    return (await collection.get(this.destination))?.deliveredUpTo;
  }

  async save(feedKey: string): Promise<void> {
    const doc: DeliveryCursorDoc = { _id: this.destination, deliveredUpTo: feedKey, updatedAt: new Date().toISOString() };
    await this.readStore.write([{ kind: 'put', collection: ALERT_DELIVERIES, doc }]);
  }
}
