import { HttpError } from '../httpError';
import { RETRY_AFTER_SECONDS } from '../middleware/errors';

/**
 * Segment gives up on an answer after 5 seconds and retries later. Past our deadline we answer 503 ourselves, so
 * Segment retries at once rather than after a timeout; if the append still completes, the retry is answered
 * as a duplicate, so nothing is stored twice.
 */
export const ANSWER_DEADLINE_MS = 4000;

export function withinDeadline<T>(work: Promise<T>, ms: number = ANSWER_DEADLINE_MS): Promise<T> {
  // One promise and one timer per request (this wraps every ingest), rather than Promise.race over two.
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new HttpError(503, 'busy', 'storing the calls is taking too long; retry later', undefined, {
            'Retry-After': String(RETRY_AFTER_SECONDS),
          }),
        ),
      ms,
    );
    // A late outcome, once the deadline has answered, settles nothing and is not an unhandled rejection.
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
