import type { WorkspaceDoc, WriteKey } from './workspace';

/** Longest grace period an admin may give a rotated-out key: a week covers any sender's rollout. */
export const MAX_GRACE_HOURS = 24 * 7;

/**
 * A workspace with a fresh write key in front and every other live key expiring after the grace period (or
 * sooner, if it was already due to). Keys already expired are dropped: they can no longer authenticate anyone.
 */
export function rotateWriteKey(workspace: WorkspaceDoc, newKey: string, graceHours: number, now: Date): WorkspaceDoc {
  const graceEnds = new Date(now.getTime() + graceHours * 3_600_000);
  const live = (key: WriteKey) => !key.expiresAt || Date.parse(key.expiresAt) > now.getTime();
  const retiring = workspace.writeKeys.filter(live).map(
    (key): WriteKey => ({
      ...key,
      expiresAt: key.expiresAt && Date.parse(key.expiresAt) < graceEnds.getTime() ? key.expiresAt : graceEnds.toISOString(),
    }),
  );
  return {
    ...workspace,
    writeKeys: [{ key: newKey, createdAt: now.toISOString() }, ...retiring.filter((key) => key.expiresAt !== now.toISOString())],
  };
}

/** The key senders should use now: the newest one that does not expire. */
export const currentWriteKey = (workspace: WorkspaceDoc): WriteKey | undefined =>
  workspace.writeKeys.find((key) => !key.expiresAt) ?? workspace.writeKeys[0];
