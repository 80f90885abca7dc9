/**
 * Which streams the adapter shows to callers. EventStoreDB's `$all` also holds system streams (`$...`) and this
 * adapter's own claim streams (see ./eventIdClaims.ts); readers of the port never see either.
 */

/** Category of the streams that record which event ids are stored (one stream per event id). */
export const CLAIM_STREAM_PREFIX = 'msgid-';

export function isClaimOrSystemStream(streamName: string): boolean {
  return streamName.startsWith('$') || streamName.startsWith(CLAIM_STREAM_PREFIX);
}

/** An empty prefix list is read as no filter, like an omitted one: EventStoreDB's prefix filter leaves it undefined. */
export function prefixFilter(prefixes: readonly string[] | undefined): readonly string[] | undefined {
  return prefixes !== undefined && prefixes.length > 0 ? prefixes : undefined;
}

/** True for the streams a reader asked for: no prefixes means every stream the port shows. */
export function isWantedStream(streamName: string, prefixes: readonly string[] | undefined): boolean {
  if (isClaimOrSystemStream(streamName)) return false;
  return prefixes === undefined || prefixes.some((prefix) => streamName.startsWith(prefix));
}

/**
 * Server-side equivalent of `isWantedStream` without prefixes, as a stream-name regex (.NET syntax), so that a
 * subscription to every stream is not sent every claim and system event only to drop them.
 */
export const SHOWN_STREAMS_REGEX = `^(?!\\$|${CLAIM_STREAM_PREFIX})`;
