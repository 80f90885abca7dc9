import { mapPersonalData, personalValuesOf } from '../domain/identity/personalData';
import { ownerIdentityOf } from '../domain/routing';
import type { SegmentCall } from '../domain/segment/calls';
import { type Envelope, isEnvelope, open, openValues, parseEnvelope, seal, sealValues } from './envelope';
import type { KeyStore, LiveKey } from './keyStore';

/** A bounded Map that forgets its oldest entries first. */
class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value!);
  }
  deleteWhere(test: (key: string) => boolean): void {
    for (const key of [...this.map.keys()]) if (test(key)) this.map.delete(key);
  }
}

/**
 * Seals the personal data of Segment calls with the key of the person they are about (the userId's identity,
 * else the anonymousId's) and opens it again for the read models. Keys are cached in memory: the ingest hot path
 * costs one key-store round trip only for identities it has not seen recently, and AES-GCM per field.
 */
export class PersonalDataCipher {
  /**
   * Live keys per workspace, by identity key: identity keys are memoised strings (src/domain/ids.ts), so a look-up
   * hashes nothing new, where a `${workspace}:${identity}` key was a new string to build and hash twice per call.
   * Each workspace's cache holds up to `cacheSize` keys, so memory grows with the number of workspaces (few, made by
   * an admin); a removed workspace's cache is dropped with it (`forgetWorkspace`).
   */
  private readonly liveKeys = new Map<string, BoundedCache<LiveKey>>();
  private readonly keysByKid: BoundedCache<Buffer | null>;
  private readonly forgetListeners: ((workspaceId: string, identityKeys: readonly string[]) => void)[] = [];

  constructor(
    private readonly keys: KeyStore,
    private readonly cacheSize = 100_000,
  ) {
    this.keysByKid = new BoundedCache(cacheSize);
  }

  /** Seals every call's personal data. Calls dated before their person was forgotten lose it instead. */
  async sealCalls(workspaceId: string, calls: readonly SegmentCall[]): Promise<SegmentCall[]> {
    const owners = calls.map((call) => (call.type === 'delete' ? undefined : ownerIdentityOf(workspaceId, call)));
    const keys = await this.liveKeysOf(workspaceId, owners);
    return calls.map((call, index) => {
      const live = keys[index];
      if (!live) return call;
      if (live.forgottenAt && call.timestamp <= live.forgottenAt) return mapPersonalData(call, () => undefined);
      // One value: its own v1 envelope. Several: one v2 envelope for all, a cipher set up once per call.
      const values = personalValuesOf(call);
      if (values.length <= 1) return values.length === 0 ? call : mapPersonalData(call, (value) => seal(value, live.kid, live.key));
      const sealed = sealValues(values, live.kid, live.key);
      return mapPersonalData(call, (_value, index) => sealed[index]);
    });
  }

  /**
   * The live key of each owner (none where there is no owner), from the cache, else from the store. Taken in one
   * synchronous pass after the last await, so a key evicted meanwhile (its person forgotten) is fetched again.
   */
  private async liveKeysOf(workspaceId: string, owners: readonly (string | undefined)[]): Promise<(LiveKey | undefined)[]> {
    let live = this.liveKeys.get(workspaceId);
    if (!live) this.liveKeys.set(workspaceId, (live = new BoundedCache(this.cacheSize)));
    for (let attempt = 1; ; attempt++) {
      const keys = owners.map((owner) => (owner === undefined ? undefined : live.get(owner)));
      const unknown = owners.filter((owner, index): owner is string => owner !== undefined && !keys[index]);
      if (unknown.length === 0) return keys;
      if (attempt > 3) throw new Error(`the key store did not answer the keys of ${unknown.length} identities`);
      for (const [identityKey, key] of await this.keys.keysFor(workspaceId, unknown)) live.set(identityKey, key);
    }
  }

  /** Loads the keys a batch of calls needs in one round trip. */
  async preload(calls: readonly SegmentCall[]): Promise<void> {
    const kids: string[] = [];
    for (const call of calls) {
      for (const value of personalValuesOf(call)) {
        const kid = envelopeOf(value)?.kid;
        if (kid) kids.push(kid);
      }
    }
    await this.loadKeys(kids);
  }

  /** Fetches the keys of the key ids not cached yet (a destroyed or unknown one is cached as null). */
  private async loadKeys(kids: Iterable<string>): Promise<void> {
    const missing = new Set<string>();
    for (const kid of kids) if (this.keysByKid.get(kid) === undefined) missing.add(kid);
    if (missing.size === 0) return;
    const found = await this.keys.keysById([...missing]);
    for (const kid of missing) this.keysByKid.set(kid, found.get(kid) ?? null);
  }

  /** The call with its personal data readable again; what belongs to a forgotten person is left out. */
  async openCall(call: SegmentCall): Promise<SegmentCall> {
    // Each personal value's envelope, parsed once, by the index mapPersonalData gives the value below.
    const envelopes = personalValuesOf(call).map(envelopeOf);
    const kids: string[] = [];
    for (const envelope of envelopes) if (envelope) kids.push(envelope.kid);
    await this.loadKeys(kids);
    const keyOf = (envelope: Envelope) => this.keysByKid.get(envelope.kid) || undefined;
    // v2: the values of each head (by key id), opened once.
    let heads: Map<string, unknown[] | undefined> | undefined;
    for (const envelope of envelopes) {
      if (envelope?.kind === 'head' && !(heads ??= new Map()).has(envelope.kid)) heads.set(envelope.kid, openValues(envelope, keyOf(envelope)));
    }
    return mapPersonalData(call, (value, index) => {
      const envelope = envelopes[index];
      if (envelope === undefined) return value;
      if (envelope === null) return undefined;
      if (envelope.kind === 'reference') return heads?.get(envelope.kid)?.[envelope.index];
      return envelope.kind === 'head' ? heads?.get(envelope.kid)?.[0] : open(envelope, keyOf(envelope));
    });
  }

  /** Forgets people: their keys are destroyed, here and in the store. */
  async forget(workspaceId: string, identityKeys: readonly string[], at: string): Promise<void> {
    await this.keys.destroy(workspaceId, identityKeys, at);
    this.evict(workspaceId, identityKeys);
    for (const listener of this.forgetListeners) listener(workspaceId, identityKeys);
  }

  /**
   * Drops cached keys of people forgotten elsewhere (another thread's cipher over the same key store): the next
   * call reloads them from the store, destroyed.
   */
  evict(workspaceId: string, identityKeys: readonly string[]): void {
    const gone = new Set(identityKeys);
    this.liveKeys.get(workspaceId)?.deleteWhere((identityKey) => gone.has(identityKey));
    const goneDocs = new Set(identityKeys.map((k) => `${workspaceId}:${k}`));
    this.keysByKid.deleteWhere((kid) => goneDocs.has(kid.slice(0, kid.lastIndexOf(':'))));
  }

  /** Drops every cached key of a removed workspace (key ids start with the workspace: see keyStore.ts). */
  forgetWorkspace(workspaceId: string): void {
    this.liveKeys.delete(workspaceId);
    const prefix = `${workspaceId}:`;
    this.keysByKid.deleteWhere((kid) => kid.startsWith(prefix));
  }

  /** Tells `listener` about every `forget` made through this cipher. */
  onForgotten(listener: (workspaceId: string, identityKeys: readonly string[]) => void): void {
    this.forgetListeners.push(listener);
  }
}

/** A value's envelope; null for an envelope that does not parse (it opens to nothing), undefined for a plain value. */
const envelopeOf = (value: unknown): Envelope | null | undefined => (isEnvelope(value) ? (parseEnvelope(value) ?? null) : undefined);
