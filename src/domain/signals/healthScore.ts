import { BUILT_IN_SIGNAL_TYPES, BuiltInSignalType } from './mappingRules';
/**
 * The health score (0-100) of a customer, computed from its signals alone, as of a point in time. Pure, and
 * independent of the order signals arrive in: the state is a set of day buckets plus totals. README "Health
 * score" documents the formula; the constants below are that documentation's source.
 */

const DAY_MS = 86_400_000;
/** Signals older than this (before the newest one) no longer count and are forgotten. */
export const WINDOW_DAYS = 30;
/** Buckets kept: the window and the usage baseline (last 7 days against the 4 weeks before). */
const RETAINED_DAYS = 36;

export const MAX_POINTS = { adoptionBreadth: 30, adoptionFrequency: 25, expansion: 15, recency: 30, risk: 40 } as const;
/** Distinct features in the window for full breadth points, active days for full frequency points, ... */
const FULL_BREADTH_FEATURES = 5;
const FULL_FREQUENCY_DAYS = 12;
const FULL_EXPANSION_WEIGHT = 2;
const POINTS_PER_RISK_WEIGHT = 10;

export const BANDS = [
  { band: 'healthy', from: 70 },
  { band: 'watch', from: 40 },
  { band: 'at-risk', from: 0 },
] as const;
export type Band = (typeof BANDS)[number]['band'];

export interface DayBucket {
  /** Weighted sums per signal type. */
  readonly adoption: number;
  readonly expansion: number;
  readonly risk: number;
  /** Distinct adoption features used that day. */
  readonly features: readonly string[];
}

export interface HealthState {
  /** Keyed by UTC day, `YYYY-MM-DD`. */
  readonly days: Readonly<Record<string, DayBucket>>;
  /** Newest signal timestamp: the score is computed as of then. */
  readonly latestAt: string | null;
  /** Newest adoption or expansion signal: what recency measures. */
  readonly lastPositiveAt: string | null;
  /** Signals ever counted, per type (custom types included). */
  readonly totals: Readonly<Record<string, number>>;
}

export interface ScoredSignal {
  readonly signalType: string;
  readonly weight: number;
  readonly timestamp: string;
  /** What breadth counts as one feature: the signal's `feature` property, else its event name. */
  readonly feature: string;
}

export const EMPTY_HEALTH: HealthState = { days: {}, latestAt: null, lastPositiveAt: null, totals: {} };

const dayOf = (iso: string) => iso.slice(0, 10);
const maxIso = (a: string | null, b: string) => (a && a > b ? a : b);
const MAX_FEATURES_PER_DAY = 50;

/** The state with one more signal. Adding the same set of signals in any order gives the same state. */
export function addSignal(state: HealthState, signal: ScoredSignal): HealthState {
  const totals = { ...state.totals, [signal.signalType]: (state.totals[signal.signalType] ?? 0) + 1 };
  const latestAt = maxIso(state.latestAt, signal.timestamp);
  const positive = signal.signalType === 'adoption' || signal.signalType === 'expansion';
  const lastPositiveAt = positive ? maxIso(state.lastPositiveAt, signal.timestamp) : state.lastPositiveAt;
  const days = { ...state.days };
  const counted = (BUILT_IN_SIGNAL_TYPES as readonly string[]).includes(signal.signalType);
  if (counted) {
    const key = dayOf(signal.timestamp);
    const day = days[key] ?? { adoption: 0, expansion: 0, risk: 0, features: [] };
    const type = signal.signalType as BuiltInSignalType;
    const features =
      type === 'adoption' && !day.features.includes(signal.feature) && day.features.length < MAX_FEATURES_PER_DAY
        ? [...day.features, signal.feature].sort()
        : day.features;
    days[key] = { ...day, [type]: day[type] + signal.weight, features };
  }
  return { days: pruned(days, latestAt), latestAt, lastPositiveAt, totals };
}

function pruned(days: Record<string, DayBucket>, latestAt: string): Record<string, DayBucket> {
  const oldest = dayOf(new Date(Date.parse(latestAt) - RETAINED_DAYS * DAY_MS).toISOString());
  return Object.fromEntries(Object.entries(days).filter(([day]) => day >= oldest));
}

export interface HealthComponents {
  readonly adoptionBreadth: number;
  readonly adoptionFrequency: number;
  readonly expansion: number;
  readonly recency: number;
  /** Zero or negative: points risk signals take away. */
  readonly risk: number;
}

export interface UsageBaseline {
  /** Weighted adoption in the 7 days up to `asOf`. */
  readonly lastWeek: number;
  /** Average weekly weighted adoption in the 4 weeks before that. */
  readonly weeklyBaseline: number;
  /** The last week is under half of a meaningful baseline. */
  readonly dropped: boolean;
}

export interface HealthScore {
  readonly score: number;
  readonly band: Band;
  readonly components: HealthComponents;
  readonly usage: UsageBaseline;
  readonly asOf: string;
}

/** Baselines under this many weighted adoption signals a week are too thin to call a drop. */
const MIN_WEEKLY_BASELINE = 3;
const DROP_RATIO = 0.5;

export function scoreOf(state: HealthState, asOf: string): HealthScore {
  const now = Date.parse(asOf);
  const daysAgo = (day: string) => Math.floor((now - Date.parse(`${day}T00:00:00.000Z`)) / DAY_MS);
  let adoptionDays = 0;
  let expansion = 0;
  let risk = 0;
  let lastWeek = 0;
  let baselineTotal = 0;
  const features = new Set<string>();
  for (const [day, bucket] of Object.entries(state.days)) {
    const age = daysAgo(day);
    if (age < 0) continue;
    if (age < WINDOW_DAYS) {
      if (bucket.adoption > 0) adoptionDays += 1;
      expansion += bucket.expansion;
      risk += bucket.risk;
      bucket.features.forEach((f) => features.add(f));
    }
    if (age < 7) lastWeek += bucket.adoption;
    else if (age < 35) baselineTotal += bucket.adoption;
  }
  const sinceLastPositive = state.lastPositiveAt ? Math.max(0, (now - Date.parse(state.lastPositiveAt)) / DAY_MS) : Infinity;
  const components: HealthComponents = {
    adoptionBreadth: round1(MAX_POINTS.adoptionBreadth * Math.min(1, features.size / FULL_BREADTH_FEATURES)),
    adoptionFrequency: round1(MAX_POINTS.adoptionFrequency * Math.min(1, adoptionDays / FULL_FREQUENCY_DAYS)),
    expansion: round1(MAX_POINTS.expansion * Math.min(1, expansion / FULL_EXPANSION_WEIGHT)),
    recency: round1(MAX_POINTS.recency * Math.max(0, 1 - sinceLastPositive / WINDOW_DAYS)),
    risk: -round1(Math.min(MAX_POINTS.risk, POINTS_PER_RISK_WEIGHT * risk)),
  };
  const sum = Object.values(components).reduce((a, b) => a + b, 0);
  const score = Math.max(0, Math.min(100, Math.round(sum)));
  const weeklyBaseline = round1(baselineTotal / 4);
  return {
    score,
    band: bandOf(score),
    components,
    usage: { lastWeek, weeklyBaseline, dropped: weeklyBaseline >= MIN_WEEKLY_BASELINE && lastWeek < DROP_RATIO * weeklyBaseline },
    asOf,
  };
}

export const bandOf = (score: number): Band => BANDS.find((b) => score >= b.from)!.band;
export const bandRank = (band: Band): number => BANDS.findIndex((b) => b.band === band);

const round1 = (n: number) => Math.round(n * 10) / 10;
