import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { EventStore, RecordedEvent } from '../../src/eventstore/port';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqliteEventStore';
import { projectBatch } from '../../src/projections/projectBatch';
import type { Projection } from '../../src/projections/projection';
import { BatchApplier, ProjectionRunner } from '../../src/projections/runner';
import type { ProjectedDoc } from '../../src/projections/unitOfWork';
import { ReadStore, ReadStoreUnavailableError } from '../../src/readstore/port';
import { openSqliteReadStore } from '../../src/readstore/sqlite';
import { eventually, gate, yieldToEventLoop } from '../support/promises';

interface TotalDoc extends ProjectedDoc {
  readonly total: number;
  readonly orders: number;
}

/** A running total: counting an order twice, or missing one, shows in the sum. */
const totals: Projection = {
  name: 'totals',
  streamPrefixes: ['order-'],
  collections: [{ name: 'totals' }],
  async handle(event, uow) {
    const { amount } = event.data as { amount: number };
    await uow.update<TotalDoc>('totals', 'all', Number(event.position), (doc) => ({ _id: 'all', total: (doc?.total ?? 0) + amount, orders: (doc?.orders ?? 0) + 1 }));
  },
};

const AMOUNTS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

/**
 * Projects on this thread like the projector thread: `submit` answers `projected` at once and commits a turn of
 * the event loop later; commits listed in `failing` (1-based submit numbers) fail as an outage, and, as on the
 * thread, every submitted batch after a failure fails without writing until a batch is applied in turn.
 */
function pipelinedApplier(readStore: ReadStore, failing: number[], held: (submit: number) => Promise<void> = async () => undefined) {
  const log = { submitted: [] as number[][], applied: [] as number[][], committed: [] as number[][] };
  let broken = false;
  let commitsInOrder: Promise<void> = Promise.resolve();
  const write = (events: readonly RecordedEvent[], checkpoint: Parameters<BatchApplier['apply']>[1]) =>
    projectBatch(readStore, totals, (name) => name, events, checkpoint, 0);
  const applier: BatchApplier = {
    apply: async (events, checkpoint) => {
      log.applied.push(events.map((e) => Number(e.position)));
      broken = false;
      await write(events, checkpoint);
    },
    buildIndexes: async () => undefined,
    submit: (events, checkpoint) => {
      log.submitted.push(events.map((e) => Number(e.position)));
      const number = log.submitted.length;
      // In order, one after the other, as the projector thread commits them.
      const committed = (commitsInOrder = commitsInOrder.catch(() => undefined).then(async () => {
        await yieldToEventLoop();
        await held(number);
        if (broken) throw new ReadStoreUnavailableError('projected on top of a failed commit');
        if (failing.includes(number)) {
          broken = true;
          throw new ReadStoreUnavailableError('disk full');
        }
        await write(events, checkpoint);
        log.committed.push(events.map((e) => Number(e.position)));
      }));
      return { projected: Promise.resolve(), committed };
    },
  };
  return { applier, log };
}

describe('Projection runner: catch-up batches committed behind the next one', () => {
  let eventStore: EventStore;
  let readStore: ReadStore;
  let runner: ProjectionRunner;
  let positions: number[];

  beforeEach(async () => {
    eventStore = await openSqliteEventStore(':memory:');
    readStore = await openSqliteReadStore(':memory:');
    await eventStore.appendToStreams([
      { streamName: 'order-1', events: AMOUNTS.map((amount) => ({ id: randomUUID(), type: 'OrderPlaced', data: { amount }, metadata: { workspaceId: 'ws1' } })) },
    ]);
    positions = (await eventStore.readAll({ maxCount: 100 })).map((e) => Number(e.position));
  });
  afterEach(async () => {
    await runner.stop();
    await eventStore.close();
    await readStore.close();
  });

  const start = async (failing: number[], held?: (submit: number) => Promise<void>) => {
    const { applier, log } = pipelinedApplier(readStore, failing, held);
    const batches: number[] = [];
    const errors: string[] = [];
    runner = new ProjectionRunner(eventStore, readStore, totals, {
      applier,
      batchSize: 3,
      backoffMs: () => 0,
      onBatch: (_events, checkpoint) => batches.push(checkpoint),
      onError: (error) => errors.push(String(error)),
    });
    await runner.start();
    return { log, batches, errors };
  };
  const total = async () => (await readStore.collection<TotalDoc>('totals')).get('all');
  const run = async (failing: number[]) => {
    const started = await start(failing);
    await runner.caughtUp();
    return { ...started, total: await total() };
  };

  it('hands full batches over before the previous one is committed, and reports each batch once committed', async () => {
    const { log, batches, total } = await run([]);
    expect(total).to.include({ total: 1023, orders: 10 });
    expect(log.submitted).to.deep.equal([positions.slice(0, 3), positions.slice(3, 6), positions.slice(6, 9)]);
    expect(log.applied, 'the last, partial batch is applied in turn').to.deep.equal([positions.slice(9)]);
    expect(batches).to.deep.equal([positions[2], positions[5], positions[8], positions[9]]);
    expect(runner.position).to.equal(positions[9]);
  });

  it('after a failed commit, projects that batch and the one projected on top of it again, counting every order once', async () => {
    const { log, batches, errors, total } = await run([2]);
    expect(total).to.include({ total: 1023, orders: 10 });
    expect(errors.some((e) => e.includes('disk full'))).to.equal(true);
    expect(log.applied[0], 'the failed batch and the next, together').to.deep.equal(positions.slice(3, 9));
    expect(batches.slice(0, 2)).to.deep.equal([positions[2], positions[8]]);
    expect(batches.at(-1)).to.equal(positions[9]);
    // Checkpoints only move forward.
    expect([...batches].sort((a, b) => a - b)).to.deep.equal(batches);
  });

  it('hands the next batch over while the previous one is still being committed', async () => {
    const commits = gate();
    const { log } = await start([], () => commits.opened);
    await eventually(() => log.submitted.length === 2);
    expect(log.committed, 'the first batch is not committed yet').to.deep.equal([]);
    expect(runner.position, 'the checkpoint follows commits').to.equal(0);
    commits.open();
    await runner.caughtUp();
    expect(log.committed).to.deep.equal([positions.slice(0, 3), positions.slice(3, 6), positions.slice(6, 9)]);
  });

  it('caughtUp() waits for the last pipelined commit when nothing follows it (after the first catch-up too)', async () => {
    await eventStore.close();
    eventStore = await openSqliteEventStore(':memory:');
    const lastCommit = gate();
    const { log } = await start([], (submit) => (submit === 2 ? lastCommit.opened : Promise.resolve()));
    await runner.caughtUp(); // nothing yet: the deferred index build is done, so it holds nothing below
    await eventStore.appendToStreams([
      { streamName: 'order-1', events: AMOUNTS.slice(0, 6).map((amount) => ({ id: randomUUID(), type: 'OrderPlaced', data: { amount }, metadata: {} })) },
    ]);
    await eventually(() => log.committed.length === 1 && log.submitted.length === 2);
    let caughtUp = false;
    const waiting = runner.caughtUp().then(() => (caughtUp = true));
    for (let turn = 0; turn < 50; turn++) await yieldToEventLoop();
    expect(caughtUp, 'not while the last commit is held').to.equal(false);
    lastCommit.open();
    await waiting;
    expect(log.submitted, 'two full batches, nothing after').to.have.length(2);
    expect(await total()).to.include({ total: 63, orders: 6 });
  });

  it('never hands over again a batch whose commit went through before its answer was lost (the checkpoint is read again)', async () => {
    const applied: number[][] = [];
    let lost = false;
    const applier: BatchApplier = {
      apply: async (events, checkpoint) => {
        await projectBatch(readStore, totals, (name) => name, events, checkpoint, 0);
        applied.push(events.map((e) => Number(e.position)));
        if (!lost) {
          lost = true; // as when the projector thread dies between its commit and its answer
          throw new ReadStoreUnavailableError('thread lost after committing');
        }
      },
      buildIndexes: async () => undefined,
    };
    runner = new ProjectionRunner(eventStore, readStore, totals, { applier, batchSize: 4, backoffMs: () => 0 });
    await runner.start();
    await runner.caughtUp();
    expect(applied).to.deep.equal([positions.slice(0, 4), positions.slice(4, 8), positions.slice(8)]);
    expect(await total()).to.include({ total: 1023, orders: 10 });
    expect(runner.position).to.equal(positions[9]);
  });
});
