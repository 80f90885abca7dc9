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
}
