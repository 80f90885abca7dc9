import type { Doc, ReadStore } from '../readstore/port';

/**
 * Versions of a rebuildable read model (blue/green). Version 1 uses the plain collection names and the
 * projection's own checkpoint, so a store that never saw a rebuild looks exactly as before; version N > 1 lives
 * in `v<N>_<collection>` with checkpoint `<projection>@v<N>`. A pointer document says which version reads use;
 * a rebuild switches it with one single-document write, which is atomic on every store.
 */
export const READ_MODEL_VERSIONS = 'read_model_versions';

export interface VersionPointerDoc extends Doc {
  readonly version: number;
  readonly switchedAt: string;
}

export interface ReadModelVersion {
  readonly version: number;
  readonly checkpointId: string;
  physicalName(collection: string): string;
}

export function versionLayout(projectionName: string, version: number): ReadModelVersion {
  if (version === 1) return { version, checkpointId: projectionName, physicalName: (name) => name };
  return { version, checkpointId: `${projectionName}@v${version}`, physicalName: (name) => `v${version}_${name}` };
}

/** The version a physical collection name belongs to (1 for plain names), for cleaning up orphans. */
export const versionOfCollection = (physical: string): number => Number(/^v(\d+)_/.exec(physical)?.[1] ?? 1);

/** Hands out the current version to readers and keeps count of reads in flight per version. */
export class ReadModelVersions {
  private inFlight = new Map<number, number>();
  private drainWaiters: { version: number; resolve: () => void }[] = [];

  private constructor(
    readonly projectionName: string,
    private pointer: ReadModelVersion,
    private readonly readStore?: ReadStore,
  ) {}

  /** Reads the pointer once; afterwards the in-process value is kept current by `switchTo`. */
  static async open(readStore: ReadStore, projectionName: string): Promise<ReadModelVersions> {
    const pointers = await readStore.collection<VersionPointerDoc>(READ_MODEL_VERSIONS);
    const doc = await pointers.get(projectionName);
    return new ReadModelVersions(projectionName, versionLayout(projectionName, doc?.version ?? 1), readStore);
  }

  /** Always version 1: for code that reads a store nobody rebuilds (unit tests, tools). */
  static fixed(projectionName: string): ReadModelVersions {
    return new ReadModelVersions(projectionName, versionLayout(projectionName, 1));
  }

  current(): ReadModelVersion {
    return this.pointer;
  }

  /** The physical name of a collection in the current version (safe from drops inside `read`, see there). */
  physicalName(collection: string): string {
    return this.pointer.physicalName(collection);
  }

  /**
   * Runs `reads` against the current version. The version's collections are not dropped until every read that
   * started on it has finished, so a read never sees a collection vanish under it. Every HTTP request runs inside
   * one (see `src/http/signals/readModelLease.ts`), so query code may simply use `physicalName`.
   */
  async read<T>(reads: (physicalName: (collection: string) => string) => Promise<T>): Promise<T> {
    const version = this.pointer;
    this.inFlight.set(version.version, (this.inFlight.get(version.version) ?? 0) + 1);
    try {
      return await reads(version.physicalName);
    } finally {
      const left = (this.inFlight.get(version.version) ?? 1) - 1;
      this.inFlight.set(version.version, left);
      if (left === 0) this.settleDrained();
    }
  }

  /** Points reads at `version`: the pointer document first (durable), then this process. */
  async switchTo(version: number, now = new Date()): Promise<void> {
    if (!this.readStore) throw new Error('a fixed read-model version cannot switch');
    const pointers = await this.readStore.collection<VersionPointerDoc>(READ_MODEL_VERSIONS);
    await pointers.put({ _id: this.projectionName, version, switchedAt: now.toISOString() });
    this.pointer = versionLayout(this.projectionName, version);
  }

  /**
   * Re-reads the pointer every `intervalMs`, for an instance that does not run the projection and so never
   * switches it itself. Returns the function that stops following.
   */
  follow(intervalMs: number, onError: (error: unknown) => void): () => void {
    const readStore = this.readStore;
    if (!readStore) return () => undefined;
    const timer = setInterval(() => {
      void (async () => {
        const doc = await (await readStore.collection<VersionPointerDoc>(READ_MODEL_VERSIONS)).get(this.projectionName);
        const version = doc?.version ?? 1;
        if (version !== this.pointer.version) this.pointer = versionLayout(this.projectionName, version);
      })().catch(onError);
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Resolves once no read that started on `version` is still running. */
  drained(version: number): Promise<void> {
    if ((this.inFlight.get(version) ?? 0) === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push({ version, resolve }));
  }

  private settleDrained(): void {
    this.drainWaiters = this.drainWaiters.filter((waiter) => {
      if ((this.inFlight.get(waiter.version) ?? 0) > 0) return true;
      waiter.resolve();
      return false;
    });
  }
}
