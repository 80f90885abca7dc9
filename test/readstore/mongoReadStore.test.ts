import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { openMongoReadStore } from '../../src/readstore/mongo';
import { readStoreContract } from '../contracts/readStore.contract';

const uri = process.env['MONGODB_URI'];

if (uri === undefined || uri === '') {
  describe('ReadStore contract: MongoDB', () => {
    it('skipped: MONGODB_URI not set');
  });
} else {
  const run = `cscx_rs_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  let opened = 0;

  // A fresh database per test keeps tests independent; each is dropped by its cleanup.
  readStoreContract(`MongoDB (${uri})`, async () => {
    const dbName = `${run}_${++opened}`;
    const store = await openMongoReadStore(uri, dbName);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await dropDatabase(uri, dbName);
      },
    };
  });
}

async function dropDatabase(uri: string, dbName: string): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 2000 });
  try {
    await client.db(dbName).dropDatabase();
  } finally {
    await client.close();
  }
}
