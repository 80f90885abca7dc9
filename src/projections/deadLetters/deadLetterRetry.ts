import type { IngestRequest, IngestSummary } from '../../commands/ingestSegmentCalls';
import type { RecordedEvent } from '../../eventstore/port';
import type { ReadStore } from '../../readstore/port';
import type { Projection } from '../projection';
import { DEAD_LETTERS, DeadLetterDoc } from './deadLetter';
import { OutOfOrderUnitOfWork } from './outOfOrderUnitOfWork';

/** What a retry needs of a projection runner: its projection, run between two of its batches. */
export interface RetryableRunner {
  readonly projection: Projection;
  runExclusive<T>(work: (physicalName: (collection: string) => string) => Promise<T>): Promise<T>;
}

export type RetryResult =
  | { readonly outcome: 'resolved'; readonly letter: DeadLetterDoc }
  | { readonly outcome: 'still-failing'; readonly letter: DeadLetterDoc };

/** Why a retry was not attempted: no such letter, or it cannot be retried (resolved, being retried, unknown). */
export class RetryRefused extends Error {
  constructor(
    readonly reason: 'not-found' | 'already-resolved' | 'in-progress' | 'projection-unknown',
    message: string,
  ) {
    super(message);
    this.name = 'RetryRefused';
  }
}

type Errors = DeadLetterDoc['errors'];

/**
 * Retries dead letters after the cause was fixed (a mapping, a setting, a bug):
 * - an event a projection failed on is handled again by that projection, between two of its batches; its
 *   effects and the letter's `resolved` status are written together, the letter first, so even where the store
 *   cannot write both atomically (MongoDB) the event is applied at most once;
 * - a rejected call is decoded again from the call as received, and ingested if it is valid now; its messageId
 *   dedupes it, so a retry can never store it twice.
 * A failed retry leaves the letter open with the new errors and a retry count.
 */
export class DeadLetterRetry {
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly deps: {
      readonly readStore: ReadStore;
      readonly runners: readonly RetryableRunner[];
      readonly ingest: (request: IngestRequest) => Promise<IngestSummary>;
      /** Opens the personal data a rejected call was stored with (sealed like an accepted call's). */
      readonly openCall?: (call: unknown) => Promise<unknown>;
    },
  ) {}

  async retry(workspaceId: string, id: string, correlationId: string): Promise<RetryResult> {
    if (this.inProgress.has(id)) throw new RetryRefused('in-progress', `dead letter ${id} is being retried`);
    this.inProgress.add(id);
    try {
      const letter = await this.openLetter(workspaceId, id);
      return letter.kind === 'rejected-call'
        ? await this.retryRejectedCall(letter, correlationId)
        : await this.retryProjectionFailure(letter);
    } finally {
      this.inProgress.delete(id);
    }
  }

  private async openLetter(workspaceId: string, id: string): Promise<DeadLetterDoc> {
    const letter = await (await this.deps.readStore.collection<DeadLetterDoc>(DEAD_LETTERS)).get(id);
    if (!letter || letter.workspaceId !== workspaceId) throw new RetryRefused('not-found', `no dead letter ${id}`);
    if (letter.status === 'resolved') throw new RetryRefused('already-resolved', `dead letter ${id} is already resolved`);
    return letter;
  }

  private async retryRejectedCall(letter: DeadLetterDoc, correlationId: string): Promise<RetryResult> {
    let call: unknown;
    try {
      call = JSON.parse(letter.payload);
      if (this.deps.openCall && typeof call === 'object' && call !== null) call = await this.deps.openCall(call);
    } catch {
      return this.failed(letter, [{ path: '(payload)', message: 'the stored call is not complete JSON (it was cut at 64 KB)' }]);
    }
    const summary = await this.deps.ingest({
      workspaceId: letter.workspaceId,
      calls: [call],
      callBytes: () => Buffer.byteLength(letter.payload),
      receivedAt: new Date(letter.failedAt),
      correlationId,
      source: 'dead-letter-retry',
    });
    const rejection = summary.rejected[0];
    if (rejection) return this.failed(letter, rejection.errors);
    return this.resolved(letter, [], summary.stored[0]?.eventId);
  }

  private async retryProjectionFailure(letter: DeadLetterDoc): Promise<RetryResult> {
    const runner = this.deps.runners.find((r) => r.projection.name === letter.projection);
    if (!runner) throw new RetryRefused('projection-unknown', `no running projection ${String(letter.projection)}`);
    return runner.runExclusive(async (physicalName) => {
      // Read again inside the projection's turn: another instance's retry may have resolved it meanwhile.
      const current = await this.openLetter(letter.workspaceId, letter._id);
      const event = eventOf(current);
      const uow = new OutOfOrderUnitOfWork(this.deps.readStore, physicalName);
      try {
        await runner.projection.prefetch?.([event], uow);
        await runner.projection.handle(event, uow);
      } catch (error) {
        return this.failed(current, [{ path: '(projection)', message: error instanceof Error ? error.message : String(error) }]);
      }
      return this.resolved(current, uow.writes());
    });
  }

  private async resolved(letter: DeadLetterDoc, effects: Parameters<ReadStore['write']>[0], eventId?: string): Promise<RetryResult> {
    const now = new Date().toISOString();
    const next: DeadLetterDoc = {
      ...letter,
      status: 'resolved',
      retries: (letter.retries ?? 0) + 1,
      lastRetryAt: now,
      resolvedAt: now,
      ...(eventId ? { resolvedEventId: eventId } : {}),
    };
    await this.deps.readStore.write([{ kind: 'put', collection: DEAD_LETTERS, doc: next }, ...effects]);
    return { outcome: 'resolved', letter: next };
  }

  private async failed(letter: DeadLetterDoc, errors: Errors): Promise<RetryResult> {
    const next: DeadLetterDoc = { ...letter, retries: (letter.retries ?? 0) + 1, lastRetryAt: new Date().toISOString(), lastRetryErrors: errors };
    await this.deps.readStore.write([{ kind: 'put', collection: DEAD_LETTERS, doc: next }]);
    return { outcome: 'still-failing', letter: next };
  }
}

/** The failed event as stored: the letter keeps it whole, so a retry needs no event-store read. */
function eventOf(letter: DeadLetterDoc): RecordedEvent {
  const stored = JSON.parse(letter.payload) as { type: string; data: RecordedEvent['data']; metadata: RecordedEvent['metadata']; revision?: string };
  return {
    id: letter.eventId!,
    type: stored.type,
    streamName: letter.streamName!,
    revision: BigInt(stored.revision ?? 0),
    position: BigInt(letter.position ?? 0),
    data: stored.data,
    metadata: stored.metadata,
    created: new Date(letter.failedAt),
  };
}
