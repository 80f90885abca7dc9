/**
 * Per-trait last-write-wins. Segment does not deliver in order, so every trait remembers the Segment timestamp
 * (and the event id, to break ties the same way whatever the arrival order) of the value it holds; an update
 * only wins for the traits it carries and only where it is newer. Merging is commutative and idempotent, which
 * is what makes a shuffled delivery end in the same profile.
 */

export interface Stamp {
  /** Segment timestamp of the call that set the value. */
  readonly at: string;
  /** The event that set it: breaks ties between calls with the same timestamp. */
  readonly by: string;
}

export interface TraitEntry extends Stamp {
  readonly value: unknown;
}

export type TraitMap = Readonly<Record<string, TraitEntry>>;

/** True when `a` was written after `b` (timestamp first, then event id). */
export const isNewer = (a: Stamp, b: Stamp | undefined): boolean =>
  !b || a.at > b.at || (a.at === b.at && a.by > b.by);

/** Applies the traits of one call, stamped with its timestamp and event id. */
export function applyTraits(current: TraitMap, traits: Readonly<Record<string, unknown>>, stamp: Stamp): TraitMap {
  let next: Record<string, TraitEntry> | undefined;
  for (const [key, value] of Object.entries(traits)) {
    if (value === undefined) continue;
    if (!isNewer(stamp, current[key])) continue;
    next ??= { ...current };
    next[key] = { value, at: stamp.at, by: stamp.by };
  }
  return next ?? current;
}

/** Merges two trait maps (e.g. an anonymous profile into the user it turned out to be). */
export function mergeTraitMaps(a: TraitMap, b: TraitMap): TraitMap {
  const merged: Record<string, TraitEntry> = { ...a };
  for (const [key, entry] of Object.entries(b)) if (isNewer(entry, merged[key])) merged[key] = entry;
  return merged;
}

/** The plain values, keys sorted (what an API shows). */
export function traitValues(map: TraitMap): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(map).sort()) values[key] = map[key]!.value;
  return values;
}

export const stringTrait = (map: TraitMap, ...keys: string[]): string | undefined => {
  for (const key of keys) {
    const value = map[key]?.value;
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
};
