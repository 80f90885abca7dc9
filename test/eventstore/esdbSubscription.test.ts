/**
 * The EventStoreDB subscription's delivery logic, driven through a stand-in for the client's subscription stream
 * (an object-mode stream with `unsubscribe`). What the server does is covered by the contract against a real server.
 */
import { PassThrough } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
  type SubscribeToAllOptions,
  UnavailableError,
} from '@eventstore/db-client';
import type { RecordedEvent, SubscribeOptions } from '../../src/eventstore/port';
import { EsdbSubscription, type NewestWantedPosition } from '../../src/eventstore/esdb/subscription';
import { eventually, gate, rejectionOf, yieldToEventLoop } from '../support/promises';

class StandInSubscription extends PassThrough {
  unsubscribed = false;
  constructor() {
    super({ objectMode: true });
  }
  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }
}

function standInClient() {
  const opened: Array<{ options: SubscribeToAllOptions; stream: StandInSubscription }> = [];
  const openings = [gate(), gate(), gate()];
  const client = {
    subscribeToAll(options: SubscribeToAllOptions) {
      const stream = new StandInSubscription();
      opened.push({ options, stream });
      openings[opened.length - 1]?.open();
      return stream;
    },
  } as unknown as EventStoreDBClient;
  /** Resolves once the subscription has opened its `count`-th server call. */
  const openedCalls = (count: number) => openings[count - 1]?.opened ?? Promise.reject(new Error('too many'));
  return { client, opened, openedCalls };
}

function resolved(streamId: string, commit: bigint): AllStreamResolvedEvent {
  return {
    event: {
      streamId,
      id: randomUUID(),
      isJson: true,
      revision: 0n,
      type: 'Tested',
      created: new Date(),
      data: { commit: Number(commit) },
      metadata: undefined,
      position: { commit, prepare: commit },
    },
    commitPosition: commit,
  } as AllStreamResolvedEvent;
}

describe('EventStoreDB subscription delivery', function () {
  let subscriptions: EsdbSubscription[];
  beforeEach(() => {
    subscriptions = [];
  });
  afterEach(async () => {
    await Promise.allSettled(subscriptions.map((subscription) => subscription.stop()));
  });

  function subscribe(
    options: SubscribeOptions,
    handler: (events: readonly RecordedEvent[]) => Promise<void>,
    newestWanted: NewestWantedPosition = async () => undefined,
  ) {
    const { client, opened, openedCalls } = standInClient();
    const subscription = new EsdbSubscription(client, options, handler, newestWanted);
    subscriptions.push(subscription);
    return { subscription, opened, openedCalls };
  }

  it('hands over buffered events in batches of at most batchSize, one batch at a time, in order', async function () {
    const batches: bigint[][] = [];
    let running = 0;
    let mostAtOnce = 0;
    const { subscription, opened } = subscribe({ batchSize: 2 }, async (events) => {
      mostAtOnce = Math.max(mostAtOnce, ++running);
      await yieldToEventLoop();
      batches.push(events.map((event) => event.position));
      running--;
    }, async () => 50n);
    const stream = opened[0]?.stream;
    for (const commit of [10n, 20n, 30n, 40n, 50n]) stream?.write(resolved('customer-1', commit));

    await subscription.caughtUp();

    expect(batches.flat()).to.deep.equal([10n, 20n, 30n, 40n, 50n]);
    expect(batches.map((batch) => batch.length)).to.include(2);
    expect(Math.max(...batches.map((batch) => batch.length))).to.be.at.most(2);
    expect(mostAtOnce).to.equal(1);
  });

  it('skips claim and system streams but moves past them', async function () {
    const delivered: string[] = [];
    const { subscription, opened } = subscribe({}, async (events) => {
      delivered.push(...events.map((event) => event.streamName));
    }, async () => 20n);
    const stream = opened[0]?.stream;
    stream?.write(resolved('msgid-abc', 5n));
    stream?.write(resolved('$stats-1', 6n));
    stream?.write(resolved('customer-1', 20n));

    await subscription.caughtUp();

    expect(delivered).to.deep.equal(['customer-1']);
    expect(opened[0]?.options.filter).to.include({ filterOn: 'streamName' }).and.to.have.property('regex');
  });

  it('asks the server to filter by the given prefixes, from the given position (exclusive)', function () {
    const { opened } = subscribe({ after: 42n, streamPrefixes: ['customer-'] }, async () => undefined);
    expect(opened[0]?.options.fromPosition).to.deep.equal({ commit: 42n, prepare: 42n });
    expect(opened[0]?.options.filter).to.deep.include({ filterOn: 'streamName', prefixes: ['customer-'] });
  });

  it('resolves caughtUp at once when nothing newer than what was handled is wanted', async function () {
    const floors: bigint[] = [];
    const { subscription } = subscribe({ after: 7n }, async () => undefined, async (_prefixes, floor) => {
      floors.push(floor);
      return undefined;
    });
    await subscription.caughtUp();
    expect(floors).to.deep.equal([7n]);
  });

  it('rejects done with the error the handler threw, and cancels the server call', async function () {
    const failure = new Error('handler failed');
    const { subscription, opened } = subscribe({}, async () => {
      throw failure;
    });
    opened[0]?.stream.write(resolved('customer-1', 1n));

    expect(await rejectionOf(subscription.done)).to.equal(failure);
    expect(opened[0]?.stream.unsubscribed).to.equal(true);
    expect(await rejectionOf(subscription.caughtUp())).to.equal(failure);
  });

  it('resubscribes after the server becomes unavailable, from the full position of the last handled event', async function () {
    const delivered: bigint[] = [];
    const { subscription, opened, openedCalls } = subscribe({}, async (events) => {
      delivered.push(...events.map((event) => event.position));
    }, async () => (delivered.length < 2 ? 30n : undefined));
    const first = opened[0]?.stream;
    first?.write({ ...resolved('customer-1', 10n), event: { ...resolved('customer-1', 10n).event, position: { commit: 10n, prepare: 9n } } } as AllStreamResolvedEvent);
    await eventually(() => delivered.length === 1);

    first?.destroy(new UnavailableError(undefined, 'connection lost'));
    await openedCalls(2);
    opened[1]?.stream.write(resolved('customer-1', 30n));
    await subscription.caughtUp();

    expect(opened[1]?.options.fromPosition).to.deep.equal({ commit: 10n, prepare: 9n });
    expect(delivered).to.deep.equal([10n, 30n]);
  });

  it('rejects done on a failure that is not transient', async function () {
    const { subscription, opened } = subscribe({}, async () => undefined);
    const failure = new Error('access denied');
    opened[0]?.stream.destroy(failure);
    expect(await rejectionOf(subscription.done)).to.equal(failure);
  });

  it('stops: waits for the running handler, delivers nothing more, resolves done', async function () {
    const held = gate();
    const arrived = gate();
    const delivered: bigint[] = [];
    const { subscription, opened } = subscribe({}, async (events) => {
      arrived.open();
      await held.opened;
      delivered.push(...events.map((event) => event.position));
    });
    const stream = opened[0]?.stream;
    stream?.write(resolved('customer-1', 1n));
    await arrived.opened;
    stream?.write(resolved('customer-1', 2n));

    const stopping = subscription.stop();
    held.open();
    await stopping;
    await subscription.done;

    expect(delivered).to.deep.equal([1n]);
    expect(stream?.unsubscribed).to.equal(true);
  });
});
