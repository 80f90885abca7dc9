import { join } from 'node:path';
import type { Config } from '../config';
import type { KeyStore } from './keyStore';

/** The key store lives with the production read store (MongoDB) or in its own embedded file (`keys.db`). */
export async function openKeyStore(config: Config): Promise<KeyStore> {
  if (config.mongodbUri) {
    const { openMongoKeyStore } = await import('./mongoKeyStore');
    return openMongoKeyStore(config.mongodbUri, config.mongodbDatabase);
  }
  const { openSqliteKeyStore } = await import('./sqliteKeyStore');
  return openSqliteKeyStore(join(config.dataDir, 'keys.db'));
}
