/**
 * Where the per-identity encryption keys live (crypto-shredding). Personal data in stored events is encrypted
 * with the key of the person it is about; destroying that key makes every copy unreadable at once, in the event
 * store, in backups and in read models that kept the ciphertext. Keys are not derivable from anything else, so
 * this store is NOT a read model: it is never rebuilt or dropped with them.
 *
 * A key id (`kid`) names one key version: `<workspace>:<identityKey>:<version>`. After a deletion the identity
 * may get a new key (new data after the deletion is new data), never the old one back.
 */
export interface LiveKey {
  readonly kid: string;
  readonly key: Buffer;
  /** When the identity was forgotten before (its data up to then must stay unreadable), else null. */
  readonly forgottenAt: string | null;
}

export interface KeyStore {
  /**
   * The live key of each identity, creating the missing ones durably before it returns (so no event is ever
   * stored encrypted with a key that could still be lost). Concurrent callers always get the same key.
   */
  keysFor(workspaceId: string, identityKeys: readonly string[]): Promise<Map<string, LiveKey>>;
  /** Keys by key id; destroyed (or unknown) keys are absent from the answer. */
  keysById(kids: readonly string[]): Promise<Map<string, Buffer>>;
  /** Destroys the identities' keys for good and remembers when (idempotent). */
  destroy(workspaceId: string, identityKeys: readonly string[], at: string): Promise<void>;
  close(): Promise<void>;
}

export const keyDocId = (workspaceId: string, identityKey: string) => `${workspaceId}:${identityKey}`;

/** `<workspace>:<identityKey>:<version>` → the document id the key is stored under. */
export function docIdOfKid(kid: string): string | undefined {
  const parts = kid.split(':');
  return parts.length === 3 ? `${parts[0]}:${parts[1]}` : undefined;
}
