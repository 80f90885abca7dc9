import { HttpError } from '../httpError';
import { RETRY_AFTER_SECONDS } from '../middleware/errors';

/**
 * Segment gives up on an answer after 5 seconds and retries later. Past our deadline we answer 503 ourselves, so
 * Segment retries at once rather than after a timeout; if the append still completes, the retry is answered
 * as a duplicate, so nothing is stored twice.
 */
export const ANSWER_DEADLINE_MS = 4000;

export async function withinDeadline<T>(work: Promise<T>, ms: number = ANSWER_DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new HttpError(503, 'busy', 'storing the calls is taking too long; retry later', undefined, {
            'Retry-After': String(RETRY_AFTER_SECONDS),
          }),
        ),
      ms,
    );
  });
  work.catch(() => undefined); // a late failure after the deadline answered is not unhandled
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
