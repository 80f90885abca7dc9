import { addSignal, EMPTY_HEALTH, ScoredSignal, scoreOf } from '../../domain/signals/healthScore';

export interface HealthPoint {
  readonly at: string;
  readonly score: number;
  readonly band: string;
}

/**
 * The health score after each signal, oldest first: the same fold the health read model makes (addSignal, then
 * scoreOf as of the signal), replayed over the signals given. With fewer signals than the customer has (the
 * newest N), the first points start from an empty state, so the history covers the window shown.
 */
export function healthHistory(signalsOldestFirst: readonly ScoredSignal[]): HealthPoint[] {
  let state = EMPTY_HEALTH;
  return signalsOldestFirst.map((signal) => {
    state = addSignal(state, signal);
    const { score, band } = scoreOf(state, state.latestAt!);
    return { at: signal.timestamp, score, band };
  });
}
