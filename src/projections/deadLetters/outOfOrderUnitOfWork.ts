import type { ProjectedDoc } from '../unitOfWork';
import { UnitOfWork } from '../unitOfWork';

/**
 * The unit of work of a dead-letter retry. The retried event is older than what its documents have seen since
 * (the projection went on without it), so the usual "skip what a document has already seen" guard would skip
 * it entirely; here every change applies, and a document keeps the newest position it has seen. Applying the
 * event only once is the retry's job (the letter is marked resolved in the same write).
 */
export class OutOfOrderUnitOfWork extends UnitOfWork {
  override async update<T extends ProjectedDoc>(
    collection: string,
    id: string,
    position: number,
    change: (current: T | null) => Omit<T, '_pos'> | null | undefined,
  ): Promise<void> {
    const current = await this.get<T>(collection, id);
    const next = change(current);
    if (next === undefined) return;
    if (next === null) this.delete(collection, id);
    else this.put(collection, { ...next, _pos: Math.max(position, current?._pos ?? -1) } as T);
  }
}
