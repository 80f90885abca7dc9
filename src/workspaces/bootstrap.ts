import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config';
import { DEFAULT_WORKSPACE_ID, WorkspaceDoc } from './workspace';
import type { WorkspaceRegistry } from './workspaceRegistry';

export interface BootstrapResult {
  readonly workspace: WorkspaceDoc;
  readonly credentialsFile: string;
  readonly created: boolean;
}

/**
 * Makes sure the default workspace exists. Credentials given in the environment win over stored ones (so an
 * operator can set or rotate them by configuration); missing ones are generated once and kept. The current
 * credentials are written to a file readable only by the service's user, whose path the service prints.
 */
export async function bootstrapDefaultWorkspace(registry: WorkspaceRegistry, config: Config): Promise<BootstrapResult> {
  let workspace = registry.get(DEFAULT_WORKSPACE_ID);
  const created = !workspace;
  if (!workspace) {
    workspace = await registry.create({
      id: DEFAULT_WORKSPACE_ID,
      name: 'Default workspace',
      writeKey: config.segmentWriteKey,
      sharedSecret: config.segmentSharedSecret,
      adminToken: config.adminToken,
    });
  } else {
    const fromEnv: WorkspaceDoc = {
      ...workspace,
      writeKeys:
        config.segmentWriteKey && !workspace.writeKeys.some((k) => k.key === config.segmentWriteKey)
          ? [{ key: config.segmentWriteKey, createdAt: new Date().toISOString() }]
          : workspace.writeKeys,
      sharedSecret: config.segmentSharedSecret ?? workspace.sharedSecret,
      adminToken: config.adminToken ?? workspace.adminToken,
    };
    if (JSON.stringify(fromEnv) !== JSON.stringify(workspace)) await registry.save(fromEnv);
    workspace = fromEnv;
  }

  mkdirSync(config.dataDir, { recursive: true });
  const credentialsFile = join(config.dataDir, 'credentials.json');
  const credentials = {
    workspace: workspace._id,
    writeKey: workspace.writeKeys[0]?.key,
    sharedSecret: workspace.sharedSecret,
    adminToken: workspace.adminToken,
    note: 'Segment: use the write key (HTTP Basic user name, empty password) or the shared secret (X-Signature). APIs: Authorization: Bearer <adminToken>.',
  };
  writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
  chmodSync(credentialsFile, 0o600);
  return { workspace, credentialsFile, created };
}
