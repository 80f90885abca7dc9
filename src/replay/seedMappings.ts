import { currentMappings } from '../commands/mappings/changeSignalMappings';
import type { EventStore } from '../eventstore/port';
import type { MappingSet } from '../domain/signals/mappingRules';
import { MappingsInForceDoc, SIGNAL_MAPPINGS } from '../projections/signals/documents';
import type { ReadStore } from '../readstore/port';

/**
 * Gives a new read-model version the rules it maps the whole history with: each workspace's current rules,
 * stamped with the log position they were saved at. The projection then skips every older mapping change
 * (its position is not newer) and follows the ones saved during the rebuild.
 */
export async function seedCurrentMappings(
  eventStore: EventStore,
  readStore: ReadStore,
  workspaceIds: readonly string[],
  physicalName: (collection: string) => string,
): Promise<void> {
  const docs: MappingsInForceDoc[] = [];
  for (const workspaceId of workspaceIds) {
    const current = await currentMappings(eventStore, workspaceId);
    if (current.position === null) continue; // still the shipped defaults: nothing to seed
    docs.push(mappingsDoc(workspaceId, current, Number(current.position)));
  }
  await readStore.write(docs.map((doc) => ({ kind: 'put', collection: physicalName(SIGNAL_MAPPINGS), doc })));
}

/** A preview maps everything with the proposed rules: stamped past every position, no change in the log applies. */
export async function seedProposedMappings(
  readStore: ReadStore,
  workspaceId: string,
  proposed: MappingSet,
  physicalName: (collection: string) => string,
): Promise<void> {
  const doc = mappingsDoc(workspaceId, proposed, Number.MAX_SAFE_INTEGER);
  await readStore.write([{ kind: 'put', collection: physicalName(SIGNAL_MAPPINGS), doc }]);
}

const mappingsDoc = (workspaceId: string, set: MappingSet, position: number): MappingsInForceDoc => ({
  _id: workspaceId,
  _pos: position,
  workspaceId,
  version: set.version,
  rules: JSON.stringify(set.rules),
});
