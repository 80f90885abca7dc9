import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/sqliteEventStore';
import type { EventStore } from '../../src/eventstore/port';
import { DEAD_LETTERS, DeadLetterDoc } from '../../src/projections/deadLetters/deadLetter';
import { DeadLetterRetry, RetryRefused } from '../../src/projections/deadLetters/deadLetterRetry';
import type { Projection } from '../../src/projections/projection';
import { ProjectionRunner } from '../../src/projections/runner';
import type { ProjectedDoc } from '../../src/projections/unitOfWork';
import { ReadStore, ReadStoreUnavailableError } from '../../src/readstore/port';
import { openSqliteReadStore } from '../../src/readstore/sqlite';
import { rejectionOf } from '../support/promises';

interface TotalDoc extends ProjectedDoc {
  readonly count: number;
  readonly amounts: number;
}

/** A read model with a "mapping" that can be broken: it fails on amounts it cannot map while `broken` is set. */
function totalsProjection(mapping: { broken: boolean }): Projection {
  return {
    name: 'totals',
    streamPrefixes: ['order-'],
    collections: [{ name: 'totals' }],
    async handle(event, uow) {
      const amount = (event.data as { amount: unknown }).amount;
      if (typeof amount !== 'number' && mapping.broken) throw new Error(`cannot map amount ${JSON.stringify(amount)}`);
      const value = typeof amount === 'number' ? amount : Number(amount);
      await uow.update<TotalDoc>('totals', 'all', Number(event.position), (current) => ({
        _id: 'all',
        count: (current?.count ?? 0) + 1,
        amounts: (current?.amounts ?? 0) + value,
      }));
    },
  };
}

describe('Dead-letter retry of an event a projection failed on', () => {
  let eventStore: EventStore;
  let readStore: ReadStore;
  let runner: ProjectionRunner;
  const mapping = { broken: true };
  const noIngest = () => Promise.reject(new Error('not used'));

  beforeEach(async () => {
    mapping.broken = true;
    eventStore = await openSqliteEventStore(':memory:');
    readStore = await openSqliteReadStore(':memory:');
    runner = new ProjectionRunner(eventStore, readStore, totalsProjection(mapping), { attemptsBeforeDeadLetter: 1, backoffMs: () => 0 });
    await runner.start();
    const amounts: unknown[] = [10, 20, '30', 40]; // '30' is the poison: a string the broken mapping refuses
    await eventStore.appendToStreams([
      {
        streamName: 'order-1',
        events: amounts.map((amount) => ({ id: randomUUID(), type: 'OrderPlaced', data: { amount }, metadata: { workspaceId: 'ws1' } })),
      },
    ]);
    await runner.caughtUp();
  });
  afterEach(async () => {
    await runner.stop();
    await eventStore.close();
    await readStore.close();
  });

  const total = async () => (await (await readStore.collection<TotalDoc>('totals')).get('all'))!;
  const openLetters = async () => (await readStore.collection<DeadLetterDoc>(DEAD_LETTERS)).find({ status: 'open' });

  it('sets the poison event aside with its error and attempts while the others are projected', async () => {
    expect(await total()).to.include({ count: 3, amounts: 70 });
    const [letter] = await openLetters();
    expect(letter).to.include({ kind: 'projection-failure', projection: 'totals', workspaceId: 'ws1', status: 'open' });
    expect(letter!.errors[0]!.message).to.contain('cannot map amount "30"');
    expect(letter!.attempts).to.be.greaterThan(1);
    expect(letter!.stack).to.contain('cannot map amount');
  });

  it('finds a few poison events in a large batch by halving it, not by committing every event alone', async () => {
    const store = await openSqliteEventStore(':memory:');
    const models = await openSqliteReadStore(':memory:');
    let commits = 0;
    const big = new ProjectionRunner(store, models, totalsProjection({ broken: true }), {
      attemptsBeforeDeadLetter: 1,
      backoffMs: () => 0,
      batchSize: 2000,
      onBatch: () => (commits += 1),
    });
    try {
      const amounts = Array.from({ length: 2000 }, (_, i) => ([137, 1000, 1999].includes(i) ? `bad ${i}` : 1));
      await store.appendToStreams([
        { streamName: 'order-big', events: amounts.map((amount) => ({ id: randomUUID(), type: 'OrderPlaced', data: { amount }, metadata: { workspaceId: 'ws1' } })) },
      ]);
      await big.start();
      await big.caughtUp();
      const totals = (await (await models.collection<TotalDoc>('totals')).get('all'))!;
      expect(totals).to.include({ count: 1997, amounts: 1997 });
      const letters = await (await models.collection<DeadLetterDoc>(DEAD_LETTERS)).find({ status: 'open' });
      expect(letters.map((l) => l.errors[0]!.message).sort()).to.deep.equal(['"bad 1000"', '"bad 137"', '"bad 1999"'].map((a) => `cannot map amount ${a}`).sort());
      expect(commits, 'commits while isolating three poison events among 2,000').to.be.lessThan(100);
    } finally {
      await big.stop();
      await store.close();
      await models.close();
    }
  });

  it('after a store outage retries the whole batch, never halving a healthy one', async () => {
    const store = await openSqliteEventStore(':memory:');
    const models = await openSqliteReadStore(':memory:');
    let outages = 3;
    const flaky: ReadStore = {
      ...models,
      write: async (ops) => {
        if (outages > 0) {
          outages -= 1;
          throw new ReadStoreUnavailableError('read store restarting');
        }
        return models.write(ops);
      },
    };
    const committed: number[] = [];
    const runner = new ProjectionRunner(store, flaky, totalsProjection({ broken: false }), {
      attemptsBeforeDeadLetter: 1,
      backoffMs: () => 0,
      onBatch: (events) => committed.push(events.length),
    });
    try {
      await store.appendToStreams([
        { streamName: 'order-9', events: [1, 2, 3, 4].map((amount) => ({ id: randomUUID(), type: 'OrderPlaced', data: { amount }, metadata: {} })) },
      ]);
      await runner.start();
      await runner.caughtUp();
      expect(committed).to.deep.equal([4]);
    } finally {
      await runner.stop();
      await store.close();
      await models.close();
    }
  });

  it('applies the event once after the mapping is fixed, even when retried again or twice at once', async () => {
    const [letter] = await openLetters();
    const retry = new DeadLetterRetry({ readStore, runners: [runner], ingest: noIngest });

    const stillBroken = await retry.retry('ws1', letter!._id, 'req-1');
    expect(stillBroken.outcome).to.equal('still-failing');
    expect(stillBroken.letter).to.include({ status: 'open', retries: 1 });
    expect(await total()).to.include({ count: 3, amounts: 70 });

    mapping.broken = false;
    const outcomes = await Promise.allSettled([retry.retry('ws1', letter!._id, 'req-2'), retry.retry('ws1', letter!._id, 'req-3')]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(1);
    expect(await total()).to.include({ count: 4, amounts: 100 });
    expect(await openLetters()).to.have.length(0);

    const again = await rejectionOf(retry.retry('ws1', letter!._id, 'req-4'));
    expect(again).to.be.instanceOf(RetryRefused).and.to.include({ reason: 'already-resolved' });
    expect(await total()).to.include({ count: 4, amounts: 100 });
  });

  it('does not let one workspace retry another workspace\'s letter', async () => {
    const [letter] = await openLetters();
    const retry = new DeadLetterRetry({ readStore, runners: [runner], ingest: noIngest });
    expect(await rejectionOf(retry.retry('ws2', letter!._id, 'req'))).to.include({ reason: 'not-found' });
  });
});
