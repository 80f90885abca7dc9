import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqliteEventStore';
import type { EventStore } from '../../src/eventstore/port';
import { ProjectionLagMonitor } from '../../src/observability/projectionLag';
import { IndexBuildFailedError } from '../../src/projections/deferredIndexBuild';
import { projectBatch } from '../../src/projections/projectBatch';
import type { Projection } from '../../src/projections/projection';
import { BatchApplier, ProjectionRunner, RunnerOptions } from '../../src/projections/runner';
import type { ProjectedDoc } from '../../src/projections/unitOfWork';
import type { ReadStore } from '../../src/readstore/port';
import { openSqliteReadStore } from '../../src/readstore/sqlite';
import { HealthMonitor } from '../../src/reliability/healthMonitor';
import { gate, rejectionOf, yieldToEventLoop } from '../support/promises';

interface OrderDoc extends ProjectedDoc {
  readonly amount: number;
  readonly customerId: string;
}

/** One document per order, with a secondary index on the customer (built once caught up). */
const orders: Projection = {
  name: 'orders',
  streamPrefixes: ['order-'],
  collections: [{ name: 'orders', indexes: [['customerId']] }],
  async handle(event, uow) {
    const { amount, customerId } = event.data as { amount: number; customerId: string };
    await uow.update<OrderDoc>('orders', event.id, Number(event.position), () => ({ _id: event.id, amount, customerId }));
  },
};

/**
 * Projects on this thread, like the projector thread would; its index build fails with `failure` while it is set
 * (a full disk, say), and `built` opens once a build succeeds.
 */
function applierWithFailingIndexes(readStore: ReadStore) {
  const state = { failure: undefined as Error | undefined, attempts: 0, built: gate() };
  const applier: BatchApplier = {
    apply: (events, checkpoint) => projectBatch(readStore, orders, (name) => name, events, checkpoint, 0),
    buildIndexes: async () => {
      state.attempts += 1;
      if (state.failure) throw state.failure;
      for (const { name, indexes } of orders.collections) await readStore.collection(name, indexes);
      state.built.open();
    },
  };
  return { applier, state };
}

describe('Deferred index build that keeps failing', function () {
  // Without a bound on the build, caughtUp() never resolves: fail fast rather than at the suite's timeout.
  this.timeout(10_000);

  let eventStore: EventStore;
  let readStore: ReadStore;
  let runner: ProjectionRunner;
  const diskFull = () => new Error('database or disk is full');

  beforeEach(async () => {
    eventStore = await openSqliteEventStore(':memory:');
    readStore = await openSqliteReadStore(':memory:');
    await eventStore.appendToStreams([
      {
        streamName: 'order-1',
        events: [10, 20, 30].map((amount) => ({ id: randomUUID(), type: 'OrderPlaced', data: { amount, customerId: 'acme' }, metadata: { workspaceId: 'ws1' } })),
      },
    ]);
  });
  afterEach(async () => {
    await runner.stop();
    await eventStore.close();
    await readStore.close();
  });

  const start = async (options: RunnerOptions) => {
    runner = new ProjectionRunner(eventStore, readStore, orders, { backoffMs: () => 0, ...options });
    await runner.start();
  };
  const projected = async () => (await (await readStore.collection<OrderDoc>('orders')).find({ customerId: 'acme' })).map((d) => d.amount).sort();

  it('live: reports caught up once the events are projected, serves them unindexed, and keeps retrying until the build succeeds', async () => {
    const { applier, state } = applierWithFailingIndexes(readStore);
    state.failure = diskFull();
    await start({ applier, indexBuild: { backoffMs: () => 1 } });

    await runner.caughtUp();
    expect(await projected()).to.deep.equal([10, 20, 30]);
    expect(runner.indexBuild()).to.include({ state: 'retrying', error: 'database or disk is full' });
    expect(runner.indexBuild()!.failingSince).to.be.a('string');

    // Later calls do not wait for the retries either.
    await eventStore.appendToStreams([
      { streamName: 'order-2', events: [{ id: randomUUID(), type: 'OrderPlaced', data: { amount: 40, customerId: 'acme' }, metadata: { workspaceId: 'ws1' } }] },
    ]);
    await runner.caughtUp();
    expect(await projected()).to.deep.equal([10, 20, 30, 40]);

    const attemptsWhileBroken = state.attempts;
    state.failure = undefined; // the disk was freed
    await state.built.opened;
    await yieldToEventLoop(); // the runner notes the success a few promise steps after the build returns
    expect(state.attempts).to.be.greaterThan(attemptsWhileBroken);
    expect(runner.indexBuild()).to.deep.equal({ state: 'built', attempts: state.attempts, error: null, failingSince: null });
  });

  it('live: when the first attempt succeeds, caught up still means indexed', async () => {
    const { applier, state } = applierWithFailingIndexes(readStore);
    await start({ applier });
    expect(runner.indexBuild()!.state).to.be.oneOf(['waiting', 'building']);
    await runner.caughtUp();
    expect(runner.indexBuild()).to.include({ state: 'built', attempts: 1 });
    expect(state.attempts).to.equal(1);
  });

  it('bounded (a replay): gives up after its attempts and fails caughtUp() with the error', async () => {
    const { applier, state } = applierWithFailingIndexes(readStore);
    state.failure = diskFull();
    await start({ applier, indexBuild: { maxAttempts: 3, backoffMs: () => 0 } });

    const error = await rejectionOf(runner.caughtUp());
    expect(error).to.be.instanceOf(IndexBuildFailedError);
    expect((error as Error).message).to.match(/orders could not be built \(3 attempts\): database or disk is full/);
    expect(state.attempts).to.equal(3);
    expect(runner.indexBuild()).to.include({ state: 'failed', attempts: 3, error: 'database or disk is full' });
    // It stays failed: a later caller is told too, and no further attempt is made.
    expect(await rejectionOf(runner.caughtUp())).to.be.instanceOf(IndexBuildFailedError);
    expect(state.attempts).to.equal(3);
  });

  it('health: reports the failing build as degraded, with the reason, while staying ready for ingestion', async () => {
    const { applier, state } = applierWithFailingIndexes(readStore);
    state.failure = diskFull();
    await start({ applier, indexBuild: { backoffMs: () => 60_000 } });
    const health = new HealthMonitor(readStore, new ProjectionLagMonitor([runner], () => eventStore.headPosition()));
    await health.probe();
    await runner.caughtUp();

    const report = health.report();
    expect(report).to.include({ status: 'degraded', ready: true });
    expect(report.reasons).to.have.length(1);
    expect(report.reasons[0]).to.match(/^projection orders: secondary indexes not built after 1 failed attempt\(s\) since .*: database or disk is full$/);
    expect(report.projections[0]!.indexes).to.include({ state: 'retrying' });
  });
});
