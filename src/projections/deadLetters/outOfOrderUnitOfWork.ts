import type { ProjectedDoc } from '../unitOfWork';
import { UnitOfWork } from '../unitOfWork';

/**
 * The unit of work of a dead-letter retry. The retried event is older than what its documents have seen since
 * (the projection went on without it), so the usual "skip what a document has already seen" guard would skip
 * it entirely; here every change applies, and a document keeps the newest position it has seen. Applying the
 * event only once is the retry's job (the letter is marked resolved in the same write).
 */
export class OutOfOrderUnitOfWork extends UnitOfWork {
  protected override alreadySeen(): boolean {
    return false;
  }

  protected override positionAfter(current: ProjectedDoc | null, position: number): number {
    return Math.max(position, current?._pos ?? -1);
  }
}
