import {
  MongoBulkWriteError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerError,
  MongoServerSelectionError,
} from 'mongodb';
import { ReadStoreUnavailableError } from '../port';

/**
 * Server codes that mean "this server cannot serve you right now" (shutting down, stepping down, not primary,
 * host unreachable) rather than "your request is wrong".
 */
const UNAVAILABLE_SERVER_CODES = new Set([6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436]);

/**
 * Socket errors that the driver (v7) sometimes lets through unwrapped, e.g. "This socket has been ended by the
 * other party" (EPIPE) when a pooled connection is used just after the server went away.
 */
const SOCKET_ERROR_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'ENOTCONN']);

export function isUnavailable(error: unknown): boolean {
  // bulkWrite wraps driver errors (a refused connection, say) in a MongoBulkWriteError: look inside.
  const wrapped: unknown = error instanceof MongoBulkWriteError ? error.errorResponse : undefined;
  if (wrapped instanceof Error) return isUnavailable(wrapped);
  return (
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNetworkError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoServerClosedError ||
    error instanceof MongoOperationTimeoutError ||
    (error instanceof Error && SOCKET_ERROR_CODES.has((error as NodeJS.ErrnoException).code ?? '')) ||
    (error instanceof MongoServerError && typeof error.code === 'number' && UNAVAILABLE_SERVER_CODES.has(error.code))
  );
}

export function toReadStoreError(error: unknown): unknown {
  if (!isUnavailable(error)) return error;
  return new ReadStoreUnavailableError(`MongoDB read store unavailable: ${(error as Error).message}`, error);
}

/** Runs a driver call, turning outages into ReadStoreUnavailableError. */
export async function unlessUnavailable<R>(action: () => Promise<R>): Promise<R> {
  try {
    return await action();
  } catch (error) {
    throw toReadStoreError(error);
  }
}
