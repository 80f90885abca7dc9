import { createHash } from 'node:crypto';
import { decodeCall } from '../domain/segment/decodeCall';
import type { SegmentCall } from '../domain/segment/calls';
import type { FieldError } from '../domain/segment/fieldErrors';
import {
  SEGMENT_CALL_EVENT_TYPES,
  SEGMENT_CALL_REJECTED,
  SegmentCallMetadata,
  SegmentCallRejectedData,
} from '../domain/events';
import { eventIdForMessage, uuidV5 } from '../domain/ids';
import { routeCall } from '../domain/routing';
import { customerStream, identityStream, rejectedStream } from '../domain/streams';
import type { EventStore, NewEvent, StreamAppend } from '../eventstore/port';
import type { PersonalDataCipher } from '../privacy/personalDataCipher';
import type { CustomerDirectory } from './customerDirectory';

export interface IngestRequest {
  readonly workspaceId: string;
  readonly calls: readonly unknown[];
  /** Serialized size of each call in bytes, when the caller knows it (for the 32 KB per-call limit). */
  readonly callBytes: (index: number) => number;
  readonly receivedAt: Date;
  /** The HTTP request id, carried as correlation id. */
  readonly correlationId: string;
  /** Which entry point received the calls (webhook, tracking API, test sender). */
  readonly source: string;
}

export interface RejectedCall {
  readonly index: number;
  readonly messageId?: string;
  readonly errors: readonly FieldError[];
}

export interface StoredCall {
  readonly index: number;
  readonly eventId: string;
  readonly messageId: string;
  readonly streamName: string;
  readonly call: SegmentCall;
}

export interface IngestSummary {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: readonly RejectedCall[];
  /** Calls stored by this request (duplicates excluded), for the live monitor. */
  readonly stored: readonly StoredCall[];
}

const MAX_RAW_REJECTED_CHARS = 64 * 1024;

/**
 * Decodes a request's calls, files each valid one as an immutable event in its customer's (or identity's)
 * stream, records invalid ones as rejections, and appends everything at once. Returns only after the store has
 * made the events durable. Throws EventStoreUnavailableError when it cannot.
 */
export async function ingestSegmentCalls(
  /** `cipher`: seals each call's personal data with its person's key before it is stored (crypto-shredding). */
  deps: { eventStore: EventStore; customers: CustomerDirectory; cipher?: PersonalDataCipher },
  request: IngestRequest,
): Promise<IngestSummary> {
  const { workspaceId, receivedAt, correlationId, source } = request;
  const valid: { index: number; call: SegmentCall; eventId: string }[] = [];
  const rejected: RejectedCall[] = [];
  const seenInRequest = new Set<string>();
  let duplicatesInRequest = 0;

  for (let index = 0; index < request.calls.length; index++) {
    const result = decodeCall(request.calls[index], receivedAt, () => request.callBytes(index));
    if (!result.ok) {
      rejected.push({ index, messageId: result.messageId, errors: result.errors });
      continue;
    }
    const eventId = eventIdForMessage(workspaceId, result.call.messageId);
    if (seenInRequest.has(eventId)) {
      duplicatesInRequest += 1;
      continue;
    }
    seenInRequest.add(eventId);
    valid.push({ index, call: result.call, eventId });
  }

  const validCalls = valid.map((v) => v.call);
  const lookup = await deps.customers.lookupFor(workspaceId, validCalls);
  const byStream = new Map<string, { events: NewEvent[]; calls: StoredCall[] }>();
  const fileIn = (streamName: string) => {
    let entry = byStream.get(streamName);
    if (!entry) byStream.set(streamName, (entry = { events: [], calls: [] }));
    return entry;
  };

  const sealed = deps.cipher ? await deps.cipher.sealCalls(workspaceId, validCalls) : undefined;
  for (let position = 0; position < valid.length; position++) {
    const { index, call, eventId } = valid[position]!;
    const route = routeCall(workspaceId, call, lookup);
    const streamName =
      route.kind === 'customer' ? customerStream(workspaceId, route.customerId) : identityStream(workspaceId, route.identityKey);
    // Checked against SegmentCallMetadata and typed as itself (an object type, which is a JsonObject): no copy.
    const metadata = {
      workspaceId,
      messageId: call.messageId,
      receivedAt: call.receivedAt,
      correlationId,
      causationId: call.messageId,
      filedUnder: route.kind === 'customer' ? { customerId: route.customerId } : { identityKey: route.identityKey },
      source,
    } satisfies SegmentCallMetadata;
    const entry = fileIn(streamName);
    entry.events.push({ id: eventId, type: SEGMENT_CALL_EVENT_TYPES[call.type], data: sealed?.[position] ?? call, metadata });
    entry.calls.push({ index, eventId, messageId: call.messageId, streamName, call });
  }

  if (rejected.length > 0) {
    const entry = fileIn(rejectedStream(workspaceId));
    for (const rejection of rejected) {
      const raw = request.calls[rejection.index];
      const rawCall = safeStringify(raw).slice(0, MAX_RAW_REJECTED_CHARS);
      const data: SegmentCallRejectedData = {
        ...rejection,
        rawCall: await sealedRawCall(deps.cipher, workspaceId, raw, rawCall),
        receivedAt: receivedAt.toISOString(),
        correlationId,
        source,
      };
      // The same bad call retried is the same rejection: its id comes from its content.
      const id = uuidV5(`segment-rejected:${workspaceId}:${createHash('sha256').update(rawCall).digest('hex')}`);
      entry.events.push({ id, type: SEGMENT_CALL_REJECTED, data: { ...data }, metadata: { workspaceId, correlationId } });
    }
  }

  const appends: StreamAppend[] = [];
  for (const [streamName, { events }] of byStream) appends.push({ streamName, events, expectedRevision: 'any' });
  const results = appends.length ? await deps.eventStore.appendToStreams(appends) : [];

  const stored: StoredCall[] = [];
  const storedDuplicates = results.some((r) => r.duplicates.length > 0) ? new Set(results.flatMap((r) => r.duplicates)) : undefined;
  for (const entry of byStream.values()) {
    for (const call of entry.calls) if (!storedDuplicates?.has(call.eventId)) stored.push(call);
  }
  return {
    accepted: stored.length,
    duplicates: duplicatesInRequest + (valid.length - stored.length),
    rejected,
    stored,
  };
}

/**
 * A rejected call is kept as evidence, so its personal data is sealed like an accepted call's: with the key of
 * the person it names, so a Segment deletion reaches it too. A call naming nobody has nobody's data to seal.
 */
async function sealedRawCall(
  cipher: PersonalDataCipher | undefined,
  workspaceId: string,
  raw: unknown,
  rawCall: string,
): Promise<string> {
  const named = (id: unknown) => typeof id === 'string' && id.length > 0;
  if (!cipher || typeof raw !== 'object' || raw === null || Array.isArray(raw) || rawCall.length >= MAX_RAW_REJECTED_CHARS) {
    return rawCall;
  }
  const call = raw as Record<string, unknown>;
  if (!named(call.userId) && !named(call.anonymousId)) return rawCall;
  const [sealed] = await cipher.sealCalls(workspaceId, [call as unknown as SegmentCall]);
  return safeStringify(sealed);
}

/** The raw call for the dead letter. A call too deep to serialise is kept as a note, not as a crash. */
function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (error) {
    return JSON.stringify({ unserializable: (error as Error).message });
  }
}
