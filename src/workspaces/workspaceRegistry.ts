import type { Collection, ReadStore } from '../readstore/port';
import { timingSafeEqual } from 'node:crypto';
import { generateSecret, secretDigest, signatureMatches } from './secrets';
import { DEFAULT_SETTINGS, WORKSPACE_ID, WORKSPACES, WorkspaceDoc, WorkspaceSettings } from './workspace';

export interface NewWorkspace {
  readonly id: string;
  readonly name: string;
  readonly writeKey?: string;
  readonly sharedSecret?: string;
  readonly adminToken?: string;
  readonly settings?: Partial<WorkspaceSettings>;
}

/**
 * Workspaces and their credentials. They are few and read on every request, so all of them are held in memory
 * and written through to the read store. Credential checks visit every candidate (no early exit), so the time
 * an answer takes says nothing about which key came close.
 */
export class WorkspaceRegistry {
  private workspaces = new Map<string, WorkspaceDoc>();
  /** Counts local saves, so a reload that overlapped one does not undo it. */
  private saves = 0;
  private readonly removedListeners: ((workspaceId: string) => void)[] = [];
  /**
   * Digests of each workspace's stored secrets, made once per document: every request is checked against all of
   * them. A saved or reloaded workspace is a new document, so a rotated or revoked key leaves with the old one.
   */
  private readonly digests = new WeakMap<WorkspaceDoc, { readonly writeKeys: Buffer[]; readonly adminToken: Buffer }>();

  private constructor(private readonly collection: Collection<WorkspaceDoc>) {}

  static async open(readStore: ReadStore): Promise<WorkspaceRegistry> {
    const registry = new WorkspaceRegistry(await readStore.collection<WorkspaceDoc>(WORKSPACES));
    await registry.reload();
    return registry;
  }

  async reload(): Promise<void> {
    const savesBefore = this.saves;
    const loaded = await this.collection.find();
    // A save made here while the store was being read is newer than what was read: keep it, refresh next time.
    if (this.saves !== savesBefore) return;
    const before = this.workspaces;
    this.workspaces = new Map(loaded.map((w) => [w._id, w]));
    for (const id of before.keys()) {
      if (!this.workspaces.has(id)) for (const listener of this.removedListeners) listener(id);
    }
  }

  /**
   * Tells `listener` the id of each workspace a reload finds gone from the store (removed through another
   * instance or by an operator: this service has no API that removes one), so per-workspace caches can go too.
   */
  onRemoved(listener: (workspaceId: string) => void): void {
    this.removedListeners.push(listener);
  }

  /**
   * Reloads the workspaces every `intervalMs`, so credentials rotated through another instance are honoured here
   * too. Returns the function that stops it.
   */
  follow(intervalMs: number, onError: (error: unknown) => void): () => void {
    const timer = setInterval(() => void this.reload().catch(onError), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  get(id: string): WorkspaceDoc | undefined {
    return this.workspaces.get(id);
  }

  all(): WorkspaceDoc[] {
    return [...this.workspaces.values()];
  }

  async create(spec: NewWorkspace, now = new Date()): Promise<WorkspaceDoc> {
    if (!WORKSPACE_ID.test(spec.id)) throw new Error('workspace id must be 1-64 letters, digits or underscores');
    if (this.workspaces.has(spec.id)) throw new Error(`workspace ${spec.id} exists already`);
    const workspace: WorkspaceDoc = {
      _id: spec.id,
      name: spec.name,
      writeKeys: [{ key: spec.writeKey ?? generateSecret('wk'), createdAt: now.toISOString() }],
      sharedSecret: spec.sharedSecret ?? generateSecret('ss'),
      adminToken: spec.adminToken ?? generateSecret('adm'),
      settings: { ...DEFAULT_SETTINGS, ...spec.settings },
      createdAt: now.toISOString(),
    };
    await this.save(workspace);
    return workspace;
  }

  async save(workspace: WorkspaceDoc): Promise<void> {
    this.saves += 1;
    await this.collection.put(workspace);
    this.workspaces.set(workspace._id, workspace);
  }

  byWriteKey(key: string, now = Date.now()): WorkspaceDoc | undefined {
    const given = secretDigest(key);
    let found: WorkspaceDoc | undefined;
    for (const workspace of this.workspaces.values()) {
      const digests = this.digestsOf(workspace).writeKeys;
      workspace.writeKeys.forEach((candidate, i) => {
        const live = !candidate.expiresAt || Date.parse(candidate.expiresAt) > now;
        if (timingSafeEqual(given, digests[i]!) && live) found = workspace;
      });
    }
    return found;
  }

  byAdminToken(token: string): WorkspaceDoc | undefined {
    const given = secretDigest(token);
    let found: WorkspaceDoc | undefined;
    for (const workspace of this.workspaces.values()) if (timingSafeEqual(given, this.digestsOf(workspace).adminToken)) found = workspace;
    return found;
  }

  private digestsOf(workspace: WorkspaceDoc) {
    let digests = this.digests.get(workspace);
    if (!digests) {
      digests = { writeKeys: workspace.writeKeys.map((k) => secretDigest(k.key)), adminToken: secretDigest(workspace.adminToken) };
      this.digests.set(workspace, digests);
    }
    return digests;
  }

  /**
   * The workspace whose shared secret signed the body. With batching on, Segment signs only the first element
   * of the array (JSON.stringify of it), so that form is accepted too.
   */
  bySignature(signature: string, rawBody: Buffer, firstElementJson?: string, only?: string): WorkspaceDoc | undefined {
    let found: WorkspaceDoc | undefined;
    for (const workspace of this.workspaces.values()) {
      if (only && workspace._id !== only) continue;
      const whole = signatureMatches(workspace.sharedSecret, rawBody, signature);
      const first = firstElementJson !== undefined && signatureMatches(workspace.sharedSecret, firstElementJson, signature);
      if (whole || first) found = workspace;
    }
    return found;
  }
}
