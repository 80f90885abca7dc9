import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../port';

/** Errors after which a later attempt may succeed: the server is down, unreachable, slow, or not the leader. */
export function isTransientFailure(error: unknown): boolean {
  return (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof CancelledError ||
    error instanceof NotLeaderError ||
    // Cluster discovery gives up with a plain Error.
    (error instanceof Error && error.message.startsWith('Failed to discover'))
  );
}

/** Turns the client's errors into the port's; anything else passes through unchanged. */
export function toPortError(error: unknown): unknown {
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(error.streamName, error.expectedVersion, error.actualVersion);
  }
  if (isTransientFailure(error)) {
    return new EventStoreUnavailableError(`EventStoreDB: ${(error as Error).message}`, error);
  }
  return error;
}

export async function withPortErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toPortError(error);
  }
}
