import type { IndexBuildStatus } from '../projections/deferredIndexBuild';
import type { ChangeReport } from './healthDiff';
import type { Progress } from './progress';

export type ReplayState = 'running' | 'switching' | 'completed' | 'failed';

/** What `GET /api/admin/replay/:id` shows. */
export interface ReplayStatus {
  readonly id: string;
  readonly workspaceId: string;
  readonly state: ReplayState;
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly progress: Progress;
  /** The requesting workspace's changes between the old and the new version, once switched. */
  readonly changes: ChangeReport | null;
  readonly error: string | null;
  /**
   * The new version's secondary indexes, built once it has caught up (null before the replay's runner starts, or
   * where indexes are not deferred): a failing build shows here as `retrying` with its error, then fails the
   * replay.
   */
  readonly indexes: IndexBuildStatus | null;
}
