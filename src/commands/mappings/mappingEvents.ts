import type { RecordedEvent } from '../../eventstore/port';
import type { MappingRule } from '../../domain/signals/mappingRules';

/** Mapping changes are events of their own, one stream per workspace: the history of who changed what, when. */
export const MAPPINGS_CATEGORY = 'mappings';
export const SIGNAL_MAPPINGS_CHANGED = 'SignalMappingsChanged.v1';

export const mappingsStream = (workspaceId: string) => `${MAPPINGS_CATEGORY}-${workspaceId}`;
/** Subscription prefix: every workspace's mapping stream (workspace ids cannot contain `-`). */
export const MAPPINGS_STREAM_PREFIX = `${MAPPINGS_CATEGORY}-`;

export interface SignalMappingsChangedData {
  readonly workspaceId: string;
  /** 1 for the first change; the shipped defaults are version 0. */
  readonly version: number;
  readonly previousVersion: number;
  readonly rules: readonly MappingRule[];
  readonly changedBy: string;
  readonly changedAt: string;
  readonly reason: string | null;
  /** The HTTP request (or CLI run) that made the change. */
  readonly correlationId: string;
}

export const isMappingsChanged = (event: RecordedEvent) => event.type === SIGNAL_MAPPINGS_CHANGED;

