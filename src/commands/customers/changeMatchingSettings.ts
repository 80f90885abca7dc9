import { randomUUID } from 'node:crypto';
import {
  DEFAULT_MATCHING_SETTINGS,
  MatchingSettings,
  WORKSPACE_SETTINGS_CHANGED,
  WorkspaceSettingsChangedData,
  workspaceStream,
} from '../../domain/identity/customerEvents';
import type { EventStore } from '../../eventstore/port';
import type { WorkspaceRegistry } from '../../workspaces/workspaceRegistry';

/**
 * Changes a workspace's matching settings. The change is an event (`WorkspaceSettingsChanged.v1`, who and when
 * kept in the log) that the attribution projection follows in log order, and it is written through to the
 * workspace registry, which ingestion reads on its hot path (auto-create decides where a call is filed).
 */
export async function changeMatchingSettings(
  deps: { eventStore: EventStore; workspaces: WorkspaceRegistry },
  command: { workspaceId: string; changes: Partial<MatchingSettings>; correlationId: string; now?: Date },
): Promise<MatchingSettings> {
  const workspace = deps.workspaces.get(command.workspaceId);
  if (!workspace) throw new Error(`no workspace ${command.workspaceId}`);
  const settings = { ...DEFAULT_MATCHING_SETTINGS, ...workspace.settings, ...command.changes };
  const data: WorkspaceSettingsChangedData = {
    workspaceId: command.workspaceId,
    settings: {
      autoCreateCustomers: settings.autoCreateCustomers,
      matchEmailDomains: settings.matchEmailDomains,
      matchFreeMailDomains: settings.matchFreeMailDomains,
    },
    changedAt: (command.now ?? new Date()).toISOString(),
  };
  await deps.eventStore.appendToStreams([
    {
      streamName: workspaceStream(command.workspaceId),
      events: [{ id: randomUUID(), type: WORKSPACE_SETTINGS_CHANGED, data: { ...data }, metadata: { workspaceId: command.workspaceId, correlationId: command.correlationId } }],
    },
  ]);
  await deps.workspaces.save({ ...workspace, settings });
  return data.settings;
}
