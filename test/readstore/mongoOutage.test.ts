import { expect } from 'chai';
import { openMongoReadStore } from '../../src/readstore/mongo';
import { type ReadStore, ReadStoreUnavailableError } from '../../src/readstore/port';
import { FerretDbProcess, freePort } from './ferretdbProcess';

/** Awaits a promise that must reject with ReadStoreUnavailableError. */
async function expectUnavailable(promise: Promise<unknown>): Promise<void> {
  const reason = await promise.then(
    () => expect.fail('expected ReadStoreUnavailableError, but the call succeeded'),
    (error: unknown) => error,
  );
  expect(reason).to.be.instanceOf(ReadStoreUnavailableError);
}

/** Retries a call until it succeeds, a bounded number of times (each failing try lasts a selection timeout). */
async function eventuallySucceeds<R>(call: () => Promise<R>, tries = 10): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= tries || !(error instanceof ReadStoreUnavailableError)) throw error;
    }
  }
}

describe('MongoDB read store during an outage', () => {
  it('refuses to open with ReadStoreUnavailableError when nothing listens', async () => {
    const port = await freePort();
    await expectUnavailable(openMongoReadStore(`mongodb://127.0.0.1:${port}/`, 'nowhere'));
  });

  const binary = process.env['FERRETDB_BIN'];
  if (binary === undefined || binary === '') {
    it('skipped: FERRETDB_BIN not set (source .ci/ferretdb.sh to run the restart test)');
    return;
  }

  describe('when the server stops and comes back', () => {
    let server: FerretDbProcess;
    let store: ReadStore | undefined;

    before(async () => {
      server = await FerretDbProcess.create(binary);
    });
    after(async () => {
      await store?.close();
      await server.dispose();
    });

    it('reports ReadStoreUnavailableError while down and serves again once it is back', async () => {
      server.start();
      store = await eventuallySucceeds(() => openMongoReadStore(server.uri, 'outage'));
      const customers = await store.collection('customers');
      await customers.put({ _id: 'before-outage' });

      await server.stop();
      await expectUnavailable(store.ping());
      await expectUnavailable(customers.get('before-outage'));
      await expectUnavailable(store.write([{ kind: 'put', collection: 'customers', doc: { _id: 'during' } }]));

      server.start();
      await eventuallySucceeds(() => store!.ping());
      expect(await customers.get('before-outage')).to.deep.equal({ _id: 'before-outage' });
      await customers.put({ _id: 'after-outage' });
      expect(await customers.count()).to.equal(2);
    });
  });
});
