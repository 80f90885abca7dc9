import { mapPersonalData } from '../domain/identity/personalData';
import { identitiesOf } from '../domain/routing';
import type { SegmentCall } from '../domain/segment/calls';
import { isEnvelope, kidOf, open, seal } from './envelope';
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
  private readonly liveKeys: BoundedCache<LiveKey>;
  private readonly keysByKid: BoundedCache<Buffer | null>;
  private readonly forgetListeners: ((workspaceId: string, identityKeys: readonly string[]) => void)[] = [];

  constructor(
    private readonly keys: KeyStore,
    cacheSize = 100_000,
  ) {
    this.liveKeys = new BoundedCache(cacheSize);
    this.keysByKid = new BoundedCache(cacheSize);
  }

  /** Seals every call's personal data. Calls dated before their person was forgotten lose it instead. */
  async sealCalls(workspaceId: string, calls: readonly SegmentCall[]): Promise<SegmentCall[]> {
    const owners = calls.map((call) => (call.type === 'delete' ? undefined : identitiesOf(workspaceId, call)[0]?.key));
    const unknown = owners.filter((k): k is string => !!k && !this.liveKeys.get(`${workspaceId}:${k}`));
    if (unknown.length) {
      for (const [identityKey, live] of await this.keys.keysFor(workspaceId, unknown)) {
        this.liveKeys.set(`${workspaceId}:${identityKey}`, live);
      }
    }
    return calls.map((call, index) => {
      const owner = owners[index];
      if (!owner) return call;
      const live = this.liveKeys.get(`${workspaceId}:${owner}`)!;
      if (live.forgottenAt && call.timestamp <= live.forgottenAt) return mapPersonalData(call, () => undefined);
      return mapPersonalData(call, (value) => seal(value, live.kid, live.key));
    });
  }

  /** Loads the keys a batch of calls needs in one round trip. */
  async preload(calls: readonly SegmentCall[]): Promise<void> {
    const kids = new Set<string>();
    for (const call of calls) {
      mapPersonalData(call, (value) => {
        const kid = isEnvelope(value) ? kidOf(value) : undefined;
        if (kid && this.keysByKid.get(kid) === undefined) kids.add(kid);
        return value;
      });
    }
    if (kids.size === 0) return;
    const found = await this.keys.keysById([...kids]);
    for (const kid of kids) this.keysByKid.set(kid, found.get(kid) ?? null);
  }

  /** The call with its personal data readable again; what belongs to a forgotten person is left out. */
  async openCall(call: SegmentCall): Promise<SegmentCall> {
    await this.preload([call]);
    return mapPersonalData(call, (value) => {
      if (!isEnvelope(value)) return value;
      const kid = kidOf(value);
      return open(value, (kid && this.keysByKid.get(kid)) || undefined);
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
    const gone = new Set(identityKeys.map((k) => `${workspaceId}:${k}`));
    this.liveKeys.deleteWhere((key) => gone.has(key));
    this.keysByKid.deleteWhere((kid) => gone.has(kid.slice(0, kid.lastIndexOf(':'))));
  }

  /** Tells `listener` about every `forget` made through this cipher. */
  onForgotten(listener: (workspaceId: string, identityKeys: readonly string[]) => void): void {
    this.forgetListeners.push(listener);
  }
}
