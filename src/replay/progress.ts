/**
 * Progress of a rebuild, from what the runner has handled and where the log's head was when it started. Log
 * positions need not be consecutive (EventStoreDB's are byte offsets), so the total is an estimate from the
 * share of the log covered, exact once the rebuild has caught up.
 */
export interface ProgressInput {
  readonly eventsDone: number;
  readonly startPosition: number;
  readonly position: number;
  readonly headAtStart: number;
  readonly elapsedMs: number;
  readonly caughtUp: boolean;
}

export interface Progress {
  readonly eventsDone: number;
  readonly eventsTotal: number;
  readonly totalIsEstimate: boolean;
  /** 0 to 1. */
  readonly fraction: number;
  readonly eventsPerSecond: number;
  readonly etaSeconds: number | null;
}

export function progressOf(input: ProgressInput): Progress {
  const span = input.headAtStart - input.startPosition;
  const covered = input.position - input.startPosition;
  const fraction = input.caughtUp || span <= 0 ? 1 : Math.max(0, Math.min(1, covered / span));
  const eventsTotal = fraction >= 1 || fraction === 0 ? input.eventsDone : Math.max(input.eventsDone, Math.round(input.eventsDone / fraction));
  const eventsPerSecond = input.elapsedMs > 0 ? Math.round((input.eventsDone / input.elapsedMs) * 1000) : 0;
  const left = eventsTotal - input.eventsDone;
  return {
    eventsDone: input.eventsDone,
    eventsTotal,
    totalIsEstimate: !input.caughtUp && fraction < 1,
    fraction: Math.round(fraction * 1000) / 1000,
    eventsPerSecond,
    etaSeconds: input.caughtUp ? 0 : eventsPerSecond > 0 ? Math.ceil(left / eventsPerSecond) : null,
  };
}
