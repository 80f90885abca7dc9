import { randomBytes } from 'node:crypto';
import type { EventStore } from '../eventstore/port';
import type { MappingSet } from '../domain/signals/mappingRules';
import { SEGMENT_CALL_STREAM_PREFIXES } from '../domain/streams';
import { CUSTOMER_HEALTH, HealthDoc } from '../projections/health/documents';
import type { HealthQueries } from '../projections/health/queries';
import type { ReadStore } from '../readstore/port';
import { ChangeReport, diffHealth } from './healthDiff';
import { seedProposedMappings } from './seedMappings';
import type { VersionedProjection } from './versionedProjection';
import { workspaceStream } from '../domain/identity/customerEvents';

export interface PreviewResult {
  readonly proposedVersion: number;
  readonly eventsScanned: number;
  readonly changes: ChangeReport;
}

/**
 * A dry run: the same projection, over one workspace's history, into scratch collections seeded with the
 * proposed rules; then each customer's signals and health there against the current version; then the scratch
 * collections are dropped. Nothing a reader sees changes. It costs a rebuild of that workspace's history.
 */
export async function previewMappings(
  deps: { eventStore: EventStore; readStore: ReadStore; target: VersionedProjection; health: HealthQueries },
  workspaceId: string,
  proposed: MappingSet,
): Promise<PreviewResult> {
  const id = randomBytes(4).toString('hex');
  const layout = {
    version: -1,
    checkpointId: `${deps.target.projection.name}@preview-${id}`,
    physicalName: (name: string) => `p${id}_${name}`,
  };
  // Only this workspace's calls and its matching settings: its read models depend on nothing else. (Mapping
  // changes are left out on purpose: the preview maps with the proposed rules.)
  const projection = {
    ...deps.target.projection,
    streamPrefixes: [...SEGMENT_CALL_STREAM_PREFIXES.map((prefix) => `${prefix}${workspaceId}.`), workspaceStream(workspaceId)],
  };
  let scanned = 0;
  const runner = deps.target.runnerFor(layout, {}, {
    ...projection,
    async handle(event, uow) {
      scanned += 1;
      await projection.handle(event, uow);
    },
  });
  try {
    await seedProposedMappings(deps.readStore, workspaceId, proposed, layout.physicalName);
    await runner.start();
    await runner.caughtUp();
    await runner.stop();
    const after = await (await deps.readStore.collection<HealthDoc>(layout.physicalName(CUSTOMER_HEALTH))).find({ workspaceId });
    const before = await deps.health.allHealth(workspaceId);
    return { proposedVersion: proposed.version, eventsScanned: scanned, changes: diffHealth(before, after) };
  } finally {
    await runner.stop().catch(() => undefined);
    await deps.target.dropVersion(layout);
  }
}
