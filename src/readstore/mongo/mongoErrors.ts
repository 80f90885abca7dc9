import {
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

export function isUnavailable(error: unknown): boolean {
  return (
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNetworkError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoServerClosedError ||
    error instanceof MongoOperationTimeoutError ||
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
