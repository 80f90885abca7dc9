import type { ReadStore } from '../../src/readstore/port';
import { collectionsContract } from './readStore/collections.contract';
import { documentsContract } from './readStore/documents.contract';
import { propertiesContract } from './readStore/properties.contract';
import { queriesContract } from './readStore/queries.contract';
import { sortingContract } from './readStore/sorting.contract';
import { writesContract } from './readStore/writes.contract';

/**
 * The behaviour every ReadStore adapter must show, run once per adapter. `open` returns a store with no
 * collections; `cleanup` closes it and removes what it stored.
 */
export function readStoreContract(
  label: string,
  open: () => Promise<{ store: ReadStore; cleanup: () => Promise<void> }>,
): void {
  describe(`ReadStore contract: ${label}`, () => {
    documentsContract(open);
    queriesContract(open);
    sortingContract(open);
    writesContract(open);
    collectionsContract(open);
    propertiesContract(open);
  });
}
