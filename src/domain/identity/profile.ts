import { applyComputation, ComputedMap, EngageComputation } from './engage';
import { applyTraits, Stamp, TraitMap } from './traits';

/** What a person or an account shows: its traits and its Engage computations, each newest-stamp-wins. */
export interface Profile {
  readonly traits: TraitMap;
  readonly computed: ComputedMap;
}

/**
 * A profile after one call's traits and Engage computation. An Engage call carries its computation as a trait
 * too; that key is shown as the computation (with its key and class), not again as a plain trait.
 */
export function applyToProfile(
  profile: Profile,
  traits: Readonly<Record<string, unknown>> | undefined,
  computation: EngageComputation | undefined,
  stamp: Stamp,
): Profile {
  const computed = computation ? applyComputation(profile.computed, computation, stamp) : profile.computed;
  if (!traits) return { traits: profile.traits, computed };
  const plain = { ...traits };
  if (computation) delete plain[computation.computationKey];
  return { traits: applyTraits(profile.traits, plain, stamp), computed };
}
