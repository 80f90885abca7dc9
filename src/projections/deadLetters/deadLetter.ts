import type { RecordedEvent } from '../../eventstore/port';
import type { Doc } from '../../readstore/port';

export const DEAD_LETTERS = 'dead_letters';

/**
 * One thing that could not be processed: a call rejected at the door (kind `rejected-call`) or an event a
 * projection failed on (kind `projection-failure`). Admins list, inspect and retry them.
 */
export interface DeadLetterDoc extends Doc {
  readonly kind: 'rejected-call' | 'projection-failure';
  readonly workspaceId: string;
  readonly failedAt: string;
  readonly messageId?: string;
  readonly errors: readonly { readonly path: string; readonly message: string }[];
  readonly projection?: string;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly streamName?: string;
  readonly position?: number;
  readonly attempts?: number;
  readonly stack?: string;
  /** The rejected call as received, or the failed event as stored (JSON text: keys such as `$set` stay data). */
  readonly payload: string;
  /** `open` until a retry succeeds (`resolved`); a failed retry leaves it open and records why. */
  readonly status: DeadLetterStatus;
  readonly retries?: number;
  readonly lastRetryAt?: string;
  readonly lastRetryErrors?: readonly { readonly path: string; readonly message: string }[];
  readonly resolvedAt?: string;
  /** A resolved rejected call: the event it became. */
  readonly resolvedEventId?: string;
}

export type DeadLetterStatus = 'open' | 'resolved';
export const DEAD_LETTER_STATUSES: readonly DeadLetterStatus[] = ['open', 'resolved'];

export function deadLetterOf(projection: string, event: RecordedEvent, error: unknown, attempts: number): DeadLetterDoc {
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    _id: `${projection}:${event.id}`,
    kind: 'projection-failure',
    workspaceId: String(event.metadata.workspaceId ?? ''),
    failedAt: new Date().toISOString(),
    messageId: typeof event.metadata.messageId === 'string' ? event.metadata.messageId : undefined,
    errors: [{ path: '(projection)', message: err.message }],
    projection,
    eventId: event.id,
    eventType: event.type,
    streamName: event.streamName,
    position: Number(event.position),
    attempts,
    stack: err.stack,
    payload: JSON.stringify({ type: event.type, data: event.data, metadata: event.metadata, revision: String(event.revision) }),
    status: 'open',
  };
}
