import { uuidV5 } from '../../domain/ids';
import { DEFAULT_MAPPINGS } from '../../domain/signals/defaultMappings';
import type { MappingSet, MappingSetInput } from '../../domain/signals/mappingRules';
import { EventStore, WrongExpectedRevisionError } from '../../eventstore/port';
import { mappingsStream, SIGNAL_MAPPINGS_CHANGED, SignalMappingsChangedData } from './mappingEvents';

export interface CurrentMappings extends MappingSet {
  readonly changedBy: string | null;
  readonly changedAt: string | null;
  /** Log position of the change (null for the defaults): where a rebuild under these rules takes over. */
  readonly position: bigint | null;
}

/** The rules in force for a workspace, from its mapping stream (the source of truth, never behind). */
export async function currentMappings(eventStore: EventStore, workspaceId: string): Promise<CurrentMappings> {
  const [last] = await eventStore.readStream(mappingsStream(workspaceId), { direction: 'backwards', maxCount: 1 });
  if (!last) return { ...DEFAULT_MAPPINGS, changedBy: null, changedAt: null, position: null };
  const data = last.data as unknown as SignalMappingsChangedData;
  return { version: data.version, rules: data.rules, changedBy: data.changedBy, changedAt: data.changedAt, position: last.position };
}

/** Another admin saved a version in between; the client should reload and redo its change. */
export class MappingsConflictError extends Error {
  constructor(readonly expectedVersion: number) {
    super(`the mappings changed meanwhile (expected version ${expectedVersion})`);
    this.name = 'MappingsConflictError';
  }
}

export interface ChangeMappingsRequest {
  readonly workspaceId: string;
  readonly input: MappingSetInput;
  readonly changedBy: string;
  readonly correlationId: string;
  /** Optimistic concurrency: the version the admin edited. Omitted: whatever is current. */
  readonly expectedVersion?: number;
  readonly now?: Date;
}

/**
 * Replaces a workspace's rule set by appending `SignalMappingsChanged.v1`. The stream revision is the version
 * minus one, so of two concurrent saves on the same version only one wins; the other gets a conflict.
 */
export async function changeSignalMappings(eventStore: EventStore, request: ChangeMappingsRequest): Promise<SignalMappingsChangedData> {
  const current = await currentMappings(eventStore, request.workspaceId);
  if (request.expectedVersion !== undefined && request.expectedVersion !== current.version) {
    throw new MappingsConflictError(request.expectedVersion);
  }
  const version = current.version + 1;
  const data: SignalMappingsChangedData = {
    workspaceId: request.workspaceId,
    version,
    previousVersion: current.version,
    rules: request.input.rules,
    changedBy: request.input.changedBy ?? request.changedBy,
    changedAt: (request.now ?? new Date()).toISOString(),
    reason: request.input.reason ?? null,
    correlationId: request.correlationId,
  };
  try {
    await eventStore.appendToStreams([
      {
        streamName: mappingsStream(request.workspaceId),
        expectedRevision: current.version === 0 ? 'no_stream' : BigInt(current.version - 1),
        events: [
          {
            id: uuidV5(`signal-mappings:${request.workspaceId}:${version}`),
            type: SIGNAL_MAPPINGS_CHANGED,
            data: { ...data },
            metadata: { workspaceId: request.workspaceId, correlationId: request.correlationId, changedBy: data.changedBy },
          },
        ],
      },
    ]);
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) throw new MappingsConflictError(current.version);
    throw error;
  }
  return data;
}

/** Every version ever saved, newest first: the audit trail of mapping changes. */
export async function mappingHistory(eventStore: EventStore, workspaceId: string, limit: number): Promise<SignalMappingsChangedData[]> {
  const events = await eventStore.readStream(mappingsStream(workspaceId), { direction: 'backwards', maxCount: limit });
  return events.map((e) => e.data as unknown as SignalMappingsChangedData);
}
