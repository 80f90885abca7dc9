import type { ExpectedRevision, NewEvent } from '../port';

export interface SortedAppend {
  /** Events to store, in the caller's order. */
  readonly fresh: readonly NewEvent[];
  /** Ids not to store again, each once, in the caller's order. */
  readonly duplicates: readonly string[];
  /** Ids found stored without a claim (a claim write was lost): claim them now. */
  readonly unclaimed: readonly string[];
}

/**
 * Splits an append into new events and duplicates. An id is a duplicate when it has a claim, when it is already in
 * the tail of the target stream, or when it appears earlier in the same append.
 */
export function sortOutDuplicates(
  events: readonly NewEvent[],
  claimed: ReadonlySet<string>,
  inStreamTail: ReadonlySet<string>,
): SortedAppend {
  const fresh: NewEvent[] = [];
  const duplicates = new Set<string>();
  const unclaimed = new Set<string>();
  const freshIds = new Set<string>();
  for (const event of events) {
    const { id } = event;
    if (claimed.has(id) || inStreamTail.has(id) || freshIds.has(id)) {
      duplicates.add(id);
      if (inStreamTail.has(id) && !claimed.has(id)) unclaimed.add(id);
    } else {
      fresh.push(event);
      freshIds.add(id);
    }
  }
  return { fresh, duplicates: [...duplicates], unclaimed: [...unclaimed] };
}

/** Whether a stream whose last revision is `lastRevision` (-1n: no events) satisfies `expected`. */
export function meetsExpectation(expected: ExpectedRevision, lastRevision: bigint): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return lastRevision === -1n;
  if (expected === 'stream_exists') return lastRevision >= 0n;
  return expected === lastRevision;
}
