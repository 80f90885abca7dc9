import { join } from 'node:path';
import type { Config } from './config';
import type { EventStore } from './eventstore/port';
import type { ReadStore } from './readstore/port';

/**
 * Chooses the engines: EventStoreDB and MongoDB when their connection strings are set, the embedded SQLite files
 * in the data folder otherwise. Adapters are loaded only when chosen, so neither driver starts unless it is used.
 */
export async function openEventStore(config: Config): Promise<EventStore> {
  if (config.eventStoreConnectionString) {
    const { openEsdbEventStore } = await import('./eventstore/esdb');
    return openEsdbEventStore(config.eventStoreConnectionString);
  }
  const { openSqliteEventStore } = await import('./eventstore/sqlite/sqliteEventStore');
  return openSqliteEventStore(join(config.dataDir, 'events.db'));
}

/** `walCheckpoints` concerns the embedded engine only (see SqliteReadStoreOptions): the service's store asks for it. */
export async function openReadStore(config: Config, options: { walCheckpoints?: 'inline' | 'background' } = {}): Promise<ReadStore> {
  if (config.mongodbUri) {
    const { openMongoReadStore } = await import('./readstore/mongo');
    return openMongoReadStore(config.mongodbUri, config.mongodbDatabase);
  }
  const { openSqliteReadStore } = await import('./readstore/sqlite');
  return openSqliteReadStore(join(config.dataDir, 'readmodels.db'), options);
}

export const engineNames = (config: Config) => ({
  eventStore: config.eventStoreConnectionString ? 'eventstoredb' : 'sqlite',
  readStore: config.mongodbUri ? 'mongodb' : 'sqlite',
});
