import type { SegmentCall } from '../segment/calls';

/**
 * Segment Engage (Personas) computations: computed traits and audiences, for users (identify, track) and for
 * accounts (group). Every Engage call carries `context.personas` with the computation's key and class.
 */
export type ComputationClass = 'trait' | 'audience';

export interface EngageComputation {
  readonly computationClass: ComputationClass;
  readonly computationKey: string;
  /** The computed value; for an audience, whether the user or account is in it. */
  readonly value: unknown;
  readonly computationId: string | null;
  readonly spaceId: string | null;
}

interface Personas {
  computation_class?: unknown;
  computation_key?: unknown;
  computation_id?: unknown;
  space_id?: unknown;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/** The computation a call reports, or undefined for an ordinary call. */
export function engageComputationOf(call: SegmentCall): EngageComputation | undefined {
  const personas = (call.context as { personas?: Personas } | undefined)?.personas;
  const properties = (call.type === 'track' ? call.properties : undefined) as Record<string, unknown> | undefined;
  const fromEvent = call.type === 'track' ? trackComputation(call.event, properties) : undefined;
  const computationClass = fromEvent?.computationClass ?? classOf(personas?.computation_class);
  const computationKey = fromEvent?.computationKey ?? text(personas?.computation_key);
  if (!computationClass || !computationKey) return undefined;
  if (!fromEvent && call.type !== 'identify' && call.type !== 'group') return undefined;

  const traits = (call.type === 'identify' || call.type === 'group' ? call.traits : properties) as
    | Record<string, unknown>
    | undefined;
  const value = fromEvent ? fromEvent.value : traits?.[computationKey];
  if (value === undefined) return undefined;
  return {
    computationClass,
    computationKey,
    value: computationClass === 'audience' ? value === true || value === 'true' : value,
    computationId: text(personas?.computation_id),
    spaceId: text(personas?.space_id),
  };
}

function classOf(value: unknown): ComputationClass | undefined {
  return value === 'trait' || value === 'audience' ? value : undefined;
}

/** `Audience Entered` / `Audience Exited` / `Trait Computed` track events (key in the properties). */
function trackComputation(
  event: string,
  properties: Record<string, unknown> | undefined,
): { computationClass: ComputationClass; computationKey: string; value: unknown } | undefined {
  if (event === 'Audience Entered' || event === 'Audience Exited') {
    const key = text(properties?.audience_key);
    return key ? { computationClass: 'audience', computationKey: key, value: event === 'Audience Entered' } : undefined;
  }
  if (event === 'Trait Computed') {
    const key = text(properties?.trait_key);
    return key ? { computationClass: 'trait', computationKey: key, value: properties?.[key] ?? properties?.value } : undefined;
  }
  return undefined;
}

/** A computation's latest result on a profile, stamped like a trait (last write wins by Segment time). */
export interface ComputedEntry extends EngageComputation {
  readonly at: string;
  readonly by: string;
}

export type ComputedMap = Readonly<Record<string, ComputedEntry>>;

export function applyComputation(map: ComputedMap, computation: EngageComputation, stamp: { at: string; by: string }): ComputedMap {
  const current = map[computation.computationKey];
  if (current && (current.at > stamp.at || (current.at === stamp.at && current.by >= stamp.by))) return map;
  return { ...map, [computation.computationKey]: { ...computation, ...stamp } };
}

export function mergeComputedMaps(a: ComputedMap, b: ComputedMap): ComputedMap {
  let merged = a;
  for (const entry of Object.values(b)) merged = applyComputation(merged, entry, entry);
  return merged;
}

/** What a profile shows: the audiences it is in now, and its computed traits. */
export function computedView(map: ComputedMap) {
  const entries = Object.values(map).sort((a, b) => (a.computationKey < b.computationKey ? -1 : 1));
  const describe = (e: ComputedEntry) => ({
    key: e.computationKey,
    computationClass: e.computationClass,
    computationId: e.computationId,
    spaceId: e.spaceId,
    at: e.at,
  });
  return {
    audiences: entries.filter((e) => e.computationClass === 'audience' && e.value === true).map(describe),
    computedTraits: entries.filter((e) => e.computationClass === 'trait').map((e) => ({ ...describe(e), value: e.value })),
  };
}
