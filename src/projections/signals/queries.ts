import type { Filter, ReadStore } from '../../readstore/port';
import type { ReadModelVersions } from '../readModelVersion';
import { SIGNALS, SignalDoc } from './documents';

export interface SignalQuery {
  readonly signalType?: string;
  /** Inclusive lower and exclusive upper bound on the Segment timestamp (ISO-8601). */
  readonly from?: string;
  readonly to?: string;
  /** Sort key of the last signal of the previous page. */
  readonly before?: string;
  readonly limit: number;
}

/** Reads of the signals read model, through the current read-model version. Scoped to a workspace. */
export class SignalQueries {
  constructor(
    private readonly readStore: ReadStore,
    private readonly versions: ReadModelVersions,
  ) {}

  /** A customer's signals, newest first. */
  async customerSignals(workspaceId: string, customerId: string, query: SignalQuery): Promise<SignalDoc[]> {
    return this.versions.read(async (physical) => {
      const signals = await this.readStore.collection<SignalDoc>(physical(SIGNALS));
      const upper = [query.before, query.to ? `${query.to}|` : undefined].filter((v): v is string => !!v).sort()[0];
      const filter: Filter = {
        workspaceId,
        customerId,
        signalType: query.signalType,
        sortKey: upper || query.from ? { ...(upper ? { $lt: upper } : {}), ...(query.from ? { $gte: query.from } : {}) } : undefined,
      };
      return signals.find(filter, { sort: [['sortKey', -1]], limit: query.limit });
    });
  }

  async countFor(workspaceId: string): Promise<number> {
    return this.versions.read(async (physical) => (await this.readStore.collection<SignalDoc>(physical(SIGNALS))).count({ workspaceId }));
  }
}
