/** Where each projection (and each read-model version) records the last log position it has projected. */
export const CHECKPOINTS = 'checkpoints';

export interface CheckpointDoc {
  readonly _id: string;
  readonly position: number;
  readonly updatedAt: string;
}
