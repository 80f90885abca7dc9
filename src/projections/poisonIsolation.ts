import { EventStoreUnavailableError, RecordedEvent } from '../eventstore/port';
import { ReadStoreUnavailableError } from '../readstore/port';

/** A store outage: retried without end, never a reason to give up on an event. */
export const isTransient = (error: unknown): boolean =>
  error instanceof ReadStoreUnavailableError || error instanceof EventStoreUnavailableError;

/** What isolating poison events needs of the runner. */
export interface PoisonSteps {
  /** Projects and commits the events with their checkpoint, or fails without writing. */
  apply(events: readonly RecordedEvent[]): Promise<void>;
  /** Sets the event aside with its error, committed with the checkpoint past it. */
  deadLetter(event: RecordedEvent, error: unknown, attempts: number): Promise<void>;
}

/** Tries of a single event before it is dead-lettered. */
const SINGLE_EVENT_ATTEMPTS = 2;

/**
 * Isolates the poison events of a failing batch by halving it: a half that applies is committed as it is, a
 * half that fails is halved again, down to single events, each tried twice and then dead-lettered. One poison
 * event in a catch-up batch of 10,000 costs about 28 commits instead of 10,000. Halves run in log order, and a
 * store outage on the way leaves the rest to the retry (the checkpoint says what is done). `attemptsBefore`: the
 * whole batch's failed attempts, counted in a dead letter's attempts.
 */
export async function isolatePoison(events: readonly RecordedEvent[], steps: PoisonSteps, attemptsBefore: number, tryWhole = false): Promise<void> {
  if (events.length === 1) return applyOrDeadLetter(events[0]!, steps, attemptsBefore);
  if (tryWhole) {
    try {
      await steps.apply(events);
      return;
    } catch (error) {
      if (isTransient(error)) throw error;
    }
  }
  const middle = Math.ceil(events.length / 2);
  await isolatePoison(events.slice(0, middle), steps, attemptsBefore, true);
  await isolatePoison(events.slice(middle), steps, attemptsBefore, true);
}

async function applyOrDeadLetter(event: RecordedEvent, steps: PoisonSteps, attemptsBefore: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await steps.apply([event]);
      return;
    } catch (error) {
      if (isTransient(error)) throw error;
      if (attempt < SINGLE_EVENT_ATTEMPTS) continue;
      return steps.deadLetter(event, error, attemptsBefore + SINGLE_EVENT_ATTEMPTS);
    }
  }
}
