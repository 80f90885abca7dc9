import { expect } from 'chai';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqliteEventStore';
import type { EventStore } from '../../src/eventstore/port';
import type { ReadStore } from '../../src/readstore/port';
import { openSqliteReadStore } from '../../src/readstore/sqlite';
import { flakyEventStore } from '../support/flakyEventStore';
import { eventually, gate } from '../support/promises';
import { group, track } from '../support/segmentCalls';
import { startTestService, TestService, WEBHOOK } from '../support/testService';

/** An event store whose appends wait at a gate the test opens: a disk that has fallen behind. */
function heldAppends(inner: EventStore) {
  let held = gate();
  let holding = false;
  const store: EventStore = {
    ...inner,
    appendToStreams: async (appends) => {
      if (holding) await held.opened;
      return inner.appendToStreams(appends);
    },
    readStream: (n, o) => inner.readStream(n, o),
    readAll: (o) => inner.readAll(o),
    headPosition: () => inner.headPosition(),
    subscribeToAll: (o, h) => inner.subscribeToAll(o, h),
    close: () => inner.close(),
  };
  return { store, hold: () => ((holding = true), (held = gate())), release: () => ((holding = false), held.open()) };
}

/** A read store whose writes wait at a gate: projections stall while it is closed. */
function heldWrites(inner: ReadStore) {
  let held = gate();
  let holding = false;
  const store: ReadStore = {
    collection: (n, i) => inner.collection(n, i),
    write: async (ops) => {
      if (holding) await held.opened;
      return inner.write(ops);
    },
    dropCollection: (n) => inner.dropCollection(n),
    listCollections: () => inner.listCollections(),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
  return { store, hold: () => ((holding = true), (held = gate())), release: () => ((holding = false), held.open()) };
}

const readyz = async (service: TestService) => {
  const response = await fetch(service.url + '/readyz');
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, unknown> };
};

describe('Graceful degradation', () => {
  it('answers 429 with Retry-After once too many calls wait for a commit, and stores the waiting ones', async () => {
    const held = heldAppends(await openSqliteEventStore(':memory:'));
    const service = await startTestService({ eventStore: held.store, config: { maxInFlightCalls: 3 } });
    try {
      held.hold();
      const waiting = service.post(WEBHOOK, [group(), track(), track()]);
      await eventually(() => service.services.reliability.admission.inFlight === 3);
      const refused = await service.post(WEBHOOK, track());
      expect(refused.status).to.equal(429);
      expect(refused.headers.get('retry-after')).to.equal('1');
      expect(await refused.json()).to.include({ error: 'overloaded', reason: 'backlog' });
      held.release();
      expect(await (await waiting).json()).to.include({ accepted: 3 });
      expect((await service.post(WEBHOOK, track())).status).to.equal(200);
    } finally {
      await service.close();
    }
  });

  it('answers 503 while projections are too far behind, reports it on /readyz, and takes calls again once they catch up', async () => {
    const reads = heldWrites(await openSqliteReadStore(':memory:'));
    const service = await startTestService({ readStore: reads.store, config: { maxProjectionLagEvents: 2 } });
    try {
      reads.hold();
      expect((await service.post(WEBHOOK, [group(), track(), track(), track()])).status).to.equal(200);
      await service.services.reliability.health.probe();
      const refused = await service.post(WEBHOOK, track());
      expect(refused.status).to.equal(503);
      expect(refused.headers.get('retry-after')).to.match(/^\d+$/);
      const notReady = await readyz(service);
      expect(notReady.status).to.equal(503);
      expect(String((notReady.body.reasons as string[])[0])).to.match(/projection \S+ is \d+ events/);
      expect((await fetch(service.url + '/healthz')).status).to.equal(200);

      reads.release();
      await service.settled();
      await service.services.reliability.health.probe();
      await service.services.reliability.health.probe();
      expect((await readyz(service)).status).to.equal(200);
      expect((await service.post(WEBHOOK, track())).status).to.equal(200);
    } finally {
      reads.release();
      await service.close();
    }
  });

  it('reports an unreachable event store on /readyz and answers 503 until it is back', async () => {
    const flaky = flakyEventStore(await openSqliteEventStore(':memory:'));
    const service = await startTestService({ eventStore: flaky.store });
    try {
      flaky.down();
      await service.services.reliability.health.probe();
      const notReady = await readyz(service);
      expect(notReady).to.deep.include({ status: 503, retryAfter: '5' });
      expect(notReady.body).to.include({ eventStore: 'down' });
      expect((await service.post(WEBHOOK, group())).status).to.equal(503);
      flaky.up();
      expect((await service.post(WEBHOOK, group())).status).to.equal(200);
      expect((await readyz(service)).body).to.include({ eventStore: 'up', status: 'ready' });
    } finally {
      await service.close();
    }
  });
});
