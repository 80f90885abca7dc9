import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadStore, ReadStoreUnavailableError } from '../../src/readstore/port';
import { openSqliteReadStore } from '../../src/readstore/sqlite';
import { allSignals, json, postAdmin, productStory, ReplayStatusView, send } from '../signals/signalsHelpers';
import { startTestService, TestService } from '../support/testService';

/** A read store that cannot drop the plain-named (version 1) collections while `locked` is set. */
function undroppableFirstVersion(inner: ReadStore) {
  const state = { locked: false };
  const store: ReadStore = {
    collection: (name, indexes) => inner.collection(name, indexes),
    write: (ops) => inner.write(ops),
    dropCollection: async (name) => {
      if (state.locked && !/^v\d+_/.test(name)) throw new ReadStoreUnavailableError('SQLite read store unavailable: database is locked');
      return inner.dropCollection(name);
    },
    listCollections: () => inner.listCollections(),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
  return { store, state };
}

describe('Replay whose old version cannot be dropped after the switch', function () {
  let dataDir: string;
  const services: TestService[] = [];
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cscx-switch-'));
  });
  afterEach(async () => {
    for (const service of services.splice(0)) await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('completes (reads did switch), and the old version is dropped at the next start', async () => {
    const reads = undroppableFirstVersion(await openSqliteReadStore(join(dataDir, 'readmodels.db')));
    const first = await startTestService({ dataDir, readStore: reads.store });
    services.push(first);
    await send(first, productStory());
    await first.settled();
    const signals = await allSignals(first, 'account_456');

    reads.state.locked = true; // the file stays locked past the wait, as behind a long index build
    const started = await json<ReplayStatusView>(postAdmin(first, '/api/admin/replay'), 202);
    await first.services.signals.replays.finished(started.id);
    const status = await json<ReplayStatusView & { error: string | null }>(first.get(`/api/admin/replay/${started.id}`));
    expect(status).to.include({ state: 'completed', toVersion: 2, error: null });
    expect(first.services.signals.versions.current().version).to.equal(2);
    expect(await allSignals(first, 'account_456')).to.deep.equal(signals);
    expect(await first.services.readStore.listCollections()).to.include.members(['signals', 'v2_signals']);

    await first.close();
    services.splice(0);
    const second = await startTestService({ dataDir });
    services.push(second);
    expect(second.services.signals.versions.current().version).to.equal(2);
    const collections = await second.services.readStore.listCollections();
    expect(collections).to.include('v2_signals');
    expect(collections).to.not.include('signals');
    expect(await allSignals(second, 'account_456')).to.deep.equal(signals);
  });
});
