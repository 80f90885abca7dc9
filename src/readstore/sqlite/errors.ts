import { ReadStoreUnavailableError } from '../port';

/** Busy, locked or unreadable database files are outages the caller can wait out; anything else is a bug. */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY)/;

/** Another connection holds the lock this statement needs (SQLITE_BUSY and its extended codes). */
export const isBusy = (error: unknown): boolean => /^SQLITE_BUSY/.test(String((error as { code?: unknown } | null)?.code ?? ''));

export function toReadStoreError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) {
    return new ReadStoreUnavailableError(`SQLite read store unavailable: ${(error as Error).message}`, error);
  }
  return error;
}

export function translateErrors<R>(action: () => R): R {
  try {
    return action();
  } catch (error) {
    throw toReadStoreError(error);
  }
}
