/**
 * The behaviour every EventStore adapter must show (see src/eventstore/port.ts). Each adapter's test file calls
 * `eventStoreContract` once.
 *
 * The suite must also pass against a long-lived EventStoreDB server whose `$all` holds other runs' events, so every
 * test writes to streams under its own random prefix and reads `$all` only through that prefix (prefix filters
 * match the start of a stream name), or after a head position taken at the start of the test.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  EventStore,
  ExpectedRevision,
  JsonObject,
  NewEvent,
  RecordedEvent,
  Subscription,
  WrongExpectedRevisionError,
} from '../../src/eventstore/port';
import { gate, rejectionOf, yieldToEventLoop } from '../support/promises';

export interface OpenedEventStore {
  readonly store: EventStore;
  /**
   * Opens another EventStore over the same stored data. The suite closes `store` before calling it and closes the
   * returned store itself. Omitted when the engine cannot reopen (the durability test is then skipped).
   */
  readonly reopen?: () => Promise<EventStore>;
  /** True when `store` starts with no events at all, which enables the tests that read every stream. */
  readonly startsEmpty?: boolean;
  /** Releases what `open` created (temporary files...). Called after the suite has closed the stores it used. */
  readonly cleanup: () => Promise<void>;
}

export function eventStoreContract(label: string, open: () => Promise<OpenedEventStore>): void {
  describe(`EventStore contract: ${label}`, function () {
    let opened: OpenedEventStore;
    let store: EventStore;
    let openStores: EventStore[];
    let subscriptions: Subscription[];

    beforeEach(async function () {
      opened = await open();
      store = opened.store;
      openStores = [store];
      subscriptions = [];
    });

    afterEach(async function () {
      await Promise.allSettled(subscriptions.map((subscription) => subscription.stop()));
      for (const openStore of openStores) await openStore.close();
      await opened.cleanup();
    });

    /** Subscribes and records every delivered event once the (slightly slow) handler has finished with it. */
    function collect(options: Parameters<EventStore['subscribeToAll']>[0]) {
      const handled: RecordedEvent[] = [];
      const subscription = store.subscribeToAll(options, async (events) => {
        await yieldToEventLoop();
        handled.push(...events);
      });
      subscriptions.push(subscription);
      return { handled, subscription };
    }

    describe('appending and reading a stream', function () {
      it('reads back what was appended: ids, types, data, metadata, stream name, revisions, positions, dates', async function () {
        const streamName = `${uniquePrefix()}-order`;
        const events = [
          newEvent('Placed', { amount: 10 }, { source: 'segment' }),
          newEvent('Paid', { amount: 10, method: 'card' }),
          newEvent('Shipped', {}),
        ];
        const before = Date.now();

        const [result] = await store.appendToStreams([{ streamName, events }]);
        const read = await store.readStream(streamName);

        expect(result).to.deep.equal({ streamName, nextExpectedRevision: 2n, duplicates: [] });
        expect(read.map(summary)).to.deep.equal(
          events.map((event, index) => ({ ...event, streamName, revision: BigInt(index) })),
        );
        expectStrictlyIncreasing(read.map((event) => event.position));
        for (const event of read) {
          expect(event.created).to.be.instanceOf(Date);
          // The server's clock may differ a little from ours.
          expect(event.created.getTime()).to.be.within(before - CLOCK_SKEW_MS, Date.now() + CLOCK_SKEW_MS);
        }
      });

      it('continues the revisions of an existing stream', async function () {
        const streamName = `${uniquePrefix()}-order`;

        const first = await append(store, streamName, [newEvent(), newEvent()]);
        const second = await append(store, streamName, [newEvent()]);
        const read = await store.readStream(streamName);

        expect(first.nextExpectedRevision).to.equal(1n);
        expect(second.nextExpectedRevision).to.equal(2n);
        expect(read.map((event) => event.revision)).to.deep.equal([0n, 1n, 2n]);
        expectStrictlyIncreasing(read.map((event) => event.position));
      });

      it('gives no events for a stream that does not exist', async function () {
        expect(await store.readStream(`${uniquePrefix()}-missing`)).to.deep.equal([]);
      });

      it('round-trips JSON with unicode, nesting and __proto__ keys as plain data', async function () {
        const streamName = `${uniquePrefix()}-json`;
        // Built with JSON.parse so that "__proto__" is an own key, as it is in a decoded HTTP body.
        const data = JSON.parse(
          '{"name":"Zoë 李 🚀 e\\u0301","escapes":"line\\nbreak \\"quoted\\" \\u2028 \\\\ tab\\t",' +
            '"nested":{"list":[1,-2.5,0,true,false,null,"x",{"deep":{"deeper":[[]]}}],"empty":{}},' +
            '"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"big":9007199254740991}',
        ) as JsonObject;
        const metadata = JSON.parse('{"__proto__":{"polluted":true},"note":"ü"}') as JsonObject;
        const event = newEvent('Weird', data, metadata);

        await append(store, streamName, [event]);
        const [read] = await store.readStream(streamName);

        expect(read?.data).to.deep.equal(data);
        expect(read?.metadata).to.deep.equal(metadata);
        expect(Object.getPrototypeOf(read?.data)).to.equal(Object.prototype);
        expect(Object.prototype.hasOwnProperty.call(read?.data, '__proto__')).to.equal(true);
        expect(Object.prototype.hasOwnProperty.call(read?.metadata, '__proto__')).to.equal(true);
        expect((read?.data as { polluted?: unknown }).polluted).to.equal(undefined);
        expect(({} as { polluted?: unknown }).polluted).to.equal(undefined);
      });
    });

    describe('expected revisions', function () {
      it('accepts no_stream for a new stream', async function () {
        const streamName = `${uniquePrefix()}-order`;

        const result = await append(store, streamName, [newEvent()], 'no_stream');

        expect(result.nextExpectedRevision).to.equal(0n);
        expect(await store.readStream(streamName)).to.have.length(1);
      });

      it('rejects no_stream for an existing stream and stores nothing', async function () {
        const streamName = `${uniquePrefix()}-order`;
        await append(store, streamName, [newEvent(), newEvent()]);

        const error = await rejectionOf(append(store, streamName, [newEvent()], 'no_stream'));

        expectWrongRevision(error, streamName, 'no_stream', 1n);
        expect(await store.readStream(streamName)).to.have.length(2);
      });

      it('accepts the exact current revision and rejects a stale one', async function () {
        const streamName = `${uniquePrefix()}-order`;
        await append(store, streamName, [newEvent(), newEvent()]);

        const result = await append(store, streamName, [newEvent()], 1n);
        const error = await rejectionOf(append(store, streamName, [newEvent()], 1n));

        expect(result.nextExpectedRevision).to.equal(2n);
        expectWrongRevision(error, streamName, 1n, 2n);
        expect(await store.readStream(streamName)).to.have.length(3);
      });

      it('rejects an exact revision for a stream that does not exist', async function () {
        const streamName = `${uniquePrefix()}-order`;

        const error = await rejectionOf(append(store, streamName, [newEvent()], 0n));

        expectWrongRevision(error, streamName, 0n, 'no_stream');
        expect(await store.readStream(streamName)).to.deep.equal([]);
      });

      it('accepts stream_exists only for an existing stream', async function () {
        const streamName = `${uniquePrefix()}-order`;

        const error = await rejectionOf(append(store, streamName, [newEvent()], 'stream_exists'));
        await append(store, streamName, [newEvent()]);
        const result = await append(store, streamName, [newEvent()], 'stream_exists');

        expectWrongRevision(error, streamName, 'stream_exists', 'no_stream');
        expect(result.nextExpectedRevision).to.equal(1n);
      });

      it('accepts any for new and existing streams', async function () {
        const streamName = `${uniquePrefix()}-order`;

        const first = await append(store, streamName, [newEvent()], 'any');
        const second = await append(store, streamName, [newEvent(), newEvent()], 'any');

        expect([first.nextExpectedRevision, second.nextExpectedRevision]).to.deep.equal([0n, 2n]);
      });
    });

    describe('duplicate event ids', function () {
      it('does not store an id again in the same stream and reports it', async function () {
        const streamName = `${uniquePrefix()}-order`;
        const [a, b] = [newEvent(), newEvent()];
        await append(store, streamName, [a, b]);

        const result = await append(store, streamName, [a]);

        expect(result).to.deep.equal({ streamName, nextExpectedRevision: 1n, duplicates: [a.id] });
        expect((await store.readStream(streamName)).map((event) => event.id)).to.deep.equal([a.id, b.id]);
      });

      it('treats a retried no_stream append as already done, not as a conflict', async function () {
        const streamName = `${uniquePrefix()}-order`;
        const events = [newEvent(), newEvent()];
        await append(store, streamName, events, 'no_stream');

        const retry = await append(store, streamName, events, 'no_stream');

        expect(retry.duplicates).to.have.members(events.map((event) => event.id));
        expect(retry.nextExpectedRevision).to.equal(1n);
        expect(await store.readStream(streamName)).to.have.length(2);
      });

      it('does not store an id already stored in another stream', async function () {
        const prefix = uniquePrefix();
        const head = await store.headPosition();
        const event = newEvent();
        await append(store, `${prefix}-one`, [event]);

        const result = await append(store, `${prefix}-two`, [event]);

        expect(result).to.deep.equal({ streamName: `${prefix}-two`, nextExpectedRevision: -1n, duplicates: [event.id] });
        expect(await store.readStream(`${prefix}-two`)).to.deep.equal([]);
        const all = await store.readAll({ after: head, maxCount: 100, streamPrefixes: [prefix] });
        expect(all.map((recorded) => recorded.id)).to.deep.equal([event.id]);
      });

      it('stores only the new events of a mixed append, in order', async function () {
        const prefix = uniquePrefix();
        const [old, fresh1, fresh2] = [newEvent(), newEvent(), newEvent()];
        await append(store, `${prefix}-one`, [old]);

        const result = await append(store, `${prefix}-two`, [fresh1, old, fresh2]);
        const read = await store.readStream(`${prefix}-two`);

        expect(result.duplicates).to.deep.equal([old.id]);
        expect(result.nextExpectedRevision).to.equal(1n);
        expect(read.map((event) => [event.id, event.revision])).to.deep.equal([
          [fresh1.id, 0n],
          [fresh2.id, 1n],
        ]);
      });

      it('remembers stored ids after the store is closed and reopened', async function () {
        const reopen = opened.reopen;
        if (!reopen) this.skip();
        const prefix = uniquePrefix();
        const event = newEvent();
        await append(store, `${prefix}-one`, [event]);
        await store.close();
        openStores = [];

        const reopened = await reopen();
        openStores.push(reopened);
        const sameStream = await append(reopened, `${prefix}-one`, [event]);
        const otherStream = await append(reopened, `${prefix}-two`, [event]);

        expect(sameStream.duplicates).to.deep.equal([event.id]);
        expect(otherStream.duplicates).to.deep.equal([event.id]);
        expect(await reopened.readStream(`${prefix}-one`)).to.have.length(1);
        expect(await reopened.readStream(`${prefix}-two`)).to.deep.equal([]);
      });
    });

    describe('reading a stream with options', function () {
      let streamName: string;
      beforeEach(async function () {
        streamName = `${uniquePrefix()}-order`;
        await append(store, streamName, [newEvent(), newEvent(), newEvent(), newEvent(), newEvent()]);
      });

      const revisionsOf = async (options: Parameters<EventStore['readStream']>[1]) =>
        (await store.readStream(streamName, options)).map((event) => event.revision);

      it('starts at fromRevision', async function () {
        expect(await revisionsOf({ fromRevision: 2n })).to.deep.equal([2n, 3n, 4n]);
      });

      it('stops after maxCount events', async function () {
        expect(await revisionsOf({ maxCount: 2 })).to.deep.equal([0n, 1n]);
        expect(await revisionsOf({ fromRevision: 2n, maxCount: 2 })).to.deep.equal([2n, 3n]);
      });

      it('reads backwards from the end, or from fromRevision', async function () {
        expect(await revisionsOf({ direction: 'backwards' })).to.deep.equal([4n, 3n, 2n, 1n, 0n]);
        expect(await revisionsOf({ direction: 'backwards', fromRevision: 3n, maxCount: 2 })).to.deep.equal([3n, 2n]);
      });
    });

    describe('appending to several streams at once', function () {
      it('appends to each stream and reports each result in order', async function () {
        const prefix = uniquePrefix();
        const one = [newEvent(), newEvent()];
        const two = [newEvent()];

        const results = await store.appendToStreams([
          { streamName: `${prefix}-one`, events: one, expectedRevision: 'no_stream' },
          { streamName: `${prefix}-two`, events: two },
        ]);

        expect(results).to.deep.equal([
          { streamName: `${prefix}-one`, nextExpectedRevision: 1n, duplicates: [] },
          { streamName: `${prefix}-two`, nextExpectedRevision: 0n, duplicates: [] },
        ]);
        expect((await store.readStream(`${prefix}-one`)).map((event) => event.id)).to.deep.equal(one.map((e) => e.id));
        expect((await store.readStream(`${prefix}-two`)).map((event) => event.id)).to.deep.equal(two.map((e) => e.id));
      });

      it('rejects when one stream is not at its expected revision', async function () {
        const prefix = uniquePrefix();
        await append(store, `${prefix}-two`, [newEvent()]);

        const error = await rejectionOf(
          store.appendToStreams([
            { streamName: `${prefix}-one`, events: [newEvent()] },
            { streamName: `${prefix}-two`, events: [newEvent()], expectedRevision: 'no_stream' },
          ]),
        );

        expectWrongRevision(error, `${prefix}-two`, 'no_stream', 0n);
        expect(await store.readStream(`${prefix}-two`)).to.have.length(1);
      });
    });

    describe('concurrent appends', function () {
      it('answers each call on its own: a conflicting call fails alone, the others are stored', async function () {
        const prefix = uniquePrefix();
        await append(store, `${prefix}-taken`, [newEvent()]);
        const calls = Array.from({ length: 20 }, (_, i) => [newEvent('Tested', { i })]);

        const outcomes = await Promise.allSettled([
          ...calls.map((events, i) => store.appendToStreams([{ streamName: `${prefix}-${i % 3}`, events }])),
          store.appendToStreams([{ streamName: `${prefix}-taken`, events: [newEvent()], expectedRevision: 'no_stream' }]),
        ]);

        const conflict = outcomes.pop()!;
        expect(conflict.status).to.equal('rejected');
        expectWrongRevision((conflict as PromiseRejectedResult).reason, `${prefix}-taken`, 'no_stream', 0n);
        expect(outcomes.map((o) => o.status)).to.deep.equal(calls.map(() => 'fulfilled'));
        const stored = await store.readAll({ maxCount: 100, streamPrefixes: [`${prefix}-0`, `${prefix}-1`, `${prefix}-2`] });
        expect(stored.map((e) => e.data['i']).sort((a, b) => Number(a) - Number(b))).to.deep.equal(calls.map((_, i) => i));
        expect(await store.readStream(`${prefix}-taken`)).to.have.length(1);
      });

      it('stores the same event id once when two calls race with it', async function () {
        const prefix = uniquePrefix();
        const event = newEvent();
        const results = await Promise.all([
          append(store, `${prefix}-a`, [event]),
          append(store, `${prefix}-a`, [event]),
        ]);
        expect(results.map((r) => r.duplicates.length).sort()).to.deep.equal([0, 1]);
        expect(await store.readStream(`${prefix}-a`)).to.have.length(1);
      });
    });

    describe('reading all streams', function () {
      it('reads a prefix in store order, with the positions a stream read reports', async function () {
        const prefix = uniquePrefix();
        const [a1, b1, a2] = [newEvent(), newEvent(), newEvent()];
        await append(store, `${prefix}-a`, [a1]);
        await append(store, `${prefix}-b`, [b1]);
        await append(store, `${prefix}-a`, [a2]);

        const all = await store.readAll({ maxCount: 100, streamPrefixes: [prefix] });
        const streamPositions = [
          ...(await store.readStream(`${prefix}-a`)),
          ...(await store.readStream(`${prefix}-b`)),
        ].map((event) => [event.id, event.position]);

        expect(all.map((event) => [event.id, event.streamName, event.revision])).to.deep.equal([
          [a1.id, `${prefix}-a`, 0n],
          [b1.id, `${prefix}-b`, 0n],
          [a2.id, `${prefix}-a`, 1n],
        ]);
        expectStrictlyIncreasing(all.map((event) => event.position));
        expect(all.map((event) => [event.id, event.position])).to.have.deep.members(streamPositions);
      });

      it('reads only after the given position, at most maxCount events', async function () {
        const prefix = uniquePrefix();
        const events = [newEvent(), newEvent(), newEvent(), newEvent()];
        await append(store, `${prefix}-a`, events);
        const [, second] = await store.readStream(`${prefix}-a`);

        const afterSecond = await store.readAll({ after: second?.position, maxCount: 100, streamPrefixes: [prefix] });
        const limited = await store.readAll({ after: second?.position, maxCount: 1, streamPrefixes: [prefix] });

        expect(afterSecond.map((event) => event.id)).to.deep.equal([events[2]?.id, events[3]?.id]);
        expect(limited.map((event) => event.id)).to.deep.equal([events[2]?.id]);
      });

      it('keeps only streams whose names start with one of the prefixes', async function () {
        const prefix = uniquePrefix();
        const head = await store.headPosition();
        await append(store, `${prefix}a-1`, [newEvent()]);
        await append(store, `${prefix}b-1`, [newEvent()]);
        await append(store, `${prefix}ab-1`, [newEvent()]);
        await append(store, `${prefix}c-1`, [newEvent()]);

        const read = await store.readAll({ after: head, maxCount: 100, streamPrefixes: [`${prefix}a`, `${prefix}b-`] });

        expect(read.map((event) => event.streamName)).to.deep.equal([`${prefix}a-1`, `${prefix}b-1`, `${prefix}ab-1`]);
      });

      it('reports as head the position of the newest event', async function () {
        const prefix = uniquePrefix();
        const before = await store.headPosition();
        await append(store, `${prefix}-a`, [newEvent(), newEvent()]);
        const [, last] = await store.readStream(`${prefix}-a`);

        const head = await store.headPosition();

        expect(typeof head).to.equal('bigint');
        expect(before < (last?.position ?? -1n)).to.equal(true);
        expect(head >= (last?.position ?? Infinity)).to.equal(true);
        expect(await store.readAll({ after: head, maxCount: 10, streamPrefixes: [prefix] })).to.deep.equal([]);
      });

      it('on an empty store: head 0n, then every stream in order without a prefix', async function () {
        if (!opened.startsEmpty) this.skip();
        expect(await store.headPosition()).to.equal(0n);
        expect(await store.readAll({ maxCount: 10 })).to.deep.equal([]);
        const [a, b] = [newEvent(), newEvent()];
        await append(store, 'customer-1', [a]);
        await append(store, 'identity-1', [b]);

        const all = await store.readAll({ maxCount: 10 });

        expect(all.map((event) => event.id)).to.deep.equal([a.id, b.id]);
        expect(all.every((event) => event.position > 0n)).to.equal(true);
        expect(await store.headPosition()).to.equal(all[1]?.position);
      });
    });

    describe('subscribing to all streams', function () {
      it('delivers the existing events, then new ones, in store order', async function () {
        const prefix = uniquePrefix();
        const [a1, b1, a2, b2] = [newEvent(), newEvent(), newEvent(), newEvent()];
        await store.appendToStreams([
          { streamName: `${prefix}-a`, events: [a1] },
          { streamName: `${prefix}-b`, events: [b1] },
        ]);
        const { handled, subscription } = collect({ streamPrefixes: [prefix], batchSize: 10 });

        await subscription.caughtUp();
        expect(handled.map((event) => event.id)).to.deep.equal([a1.id, b1.id]);

        await append(store, `${prefix}-a`, [a2]);
        await append(store, `${prefix}-b`, [b2]);
        await subscription.caughtUp();

        expect(handled.map((event) => event.id)).to.deep.equal([a1.id, b1.id, a2.id, b2.id]);
        expectStrictlyIncreasing(handled.map((event) => event.position));
        expect(handled[3]?.data).to.deep.equal(b2.data);
      });

      it('starts after the given position', async function () {
        const prefix = uniquePrefix();
        const events = [newEvent(), newEvent(), newEvent()];
        await append(store, `${prefix}-a`, events);
        const [first] = await store.readStream(`${prefix}-a`);

        const { handled, subscription } = collect({ after: first?.position, streamPrefixes: [prefix] });
        await subscription.caughtUp();

        expect(handled.map((event) => event.id)).to.deep.equal([events[1]?.id, events[2]?.id]);
      });

      it('delivers only streams that match the prefixes', async function () {
        const prefix = uniquePrefix();
        const head = await store.headPosition();
        const wanted = newEvent();
        await append(store, `${prefix}a-1`, [wanted]);
        await append(store, `${prefix}b-1`, [newEvent()]);

        const { handled, subscription } = collect({ after: head, streamPrefixes: [`${prefix}a-`] });
        await subscription.caughtUp();
        await append(store, `${prefix}b-1`, [newEvent()]);
        await subscription.caughtUp();

        expect(handled.map((event) => event.id)).to.deep.equal([wanted.id]);
      });

      it('catches up even when no event matches the prefixes', async function () {
        const prefix = uniquePrefix();
        const head = await store.headPosition();
        await append(store, `${prefix}b-1`, [newEvent()]);

        const { handled, subscription } = collect({ after: head, streamPrefixes: [`${prefix}a-`] });
        await subscription.caughtUp();

        expect(handled).to.deep.equal([]);
      });

      it('resolves caughtUp only once the handler has finished every event stored before the call', async function () {
        const prefix = uniquePrefix();
        const events = Array.from({ length: 7 }, () => newEvent());
        await append(store, `${prefix}-a`, events);
        const finished: string[] = [];
        const subscription = store.subscribeToAll({ streamPrefixes: [prefix], batchSize: 2 }, async (batch) => {
          for (let turn = 0; turn < 3; turn++) await yieldToEventLoop();
          finished.push(...batch.map((event) => event.id));
        });
        subscriptions.push(subscription);

        await subscription.caughtUp();

        expect(finished).to.deep.equal(events.map((event) => event.id));
      });

      it('hands over at most batchSize events and waits for the handler before the next batch', async function () {
        const prefix = uniquePrefix();
        const events = Array.from({ length: 9 }, () => newEvent());
        await append(store, `${prefix}-a`, events.slice(0, 5));
        let running = 0;
        let mostAtOnce = 0;
        const batchSizes: number[] = [];
        const delivered: string[] = [];
        const subscription = store.subscribeToAll({ streamPrefixes: [prefix], batchSize: 2 }, async (batch) => {
          running++;
          mostAtOnce = Math.max(mostAtOnce, running);
          batchSizes.push(batch.length);
          for (let turn = 0; turn < 3; turn++) await yieldToEventLoop();
          delivered.push(...batch.map((event) => event.id));
          running--;
        });
        subscriptions.push(subscription);

        await append(store, `${prefix}-a`, events.slice(5));
        await subscription.caughtUp();

        expect(mostAtOnce).to.equal(1);
        expect(Math.max(...batchSizes)).to.be.at.most(2);
        expect(delivered).to.deep.equal(events.map((event) => event.id));
      });

      it('holds the next batch while the handler is blocked', async function () {
        const prefix = uniquePrefix();
        const [first, second] = [newEvent(), newEvent()];
        await append(store, `${prefix}-a`, [first]);
        const firstBatchHeld = gate();
        const firstBatchArrived = gate();
        const calls: string[][] = [];
        const subscription = store.subscribeToAll({ streamPrefixes: [prefix], batchSize: 10 }, async (batch) => {
          calls.push(batch.map((event) => event.id));
          if (calls.length === 1) {
            firstBatchArrived.open();
            await firstBatchHeld.opened;
          }
        });
        subscriptions.push(subscription);

        await firstBatchArrived.opened;
        await append(store, `${prefix}-a`, [second]);
        // A second subscription catching up shows the new event is visible to subscribers by now.
        await collect({ streamPrefixes: [prefix] }).subscription.caughtUp();
        const callsWhileHeld = calls.length;
        firstBatchHeld.open();
        await subscription.caughtUp();

        expect(callsWhileHeld).to.equal(1);
        expect(calls).to.deep.equal([[first.id], [second.id]]);
      });

      it('rejects done when the handler throws, and delivers nothing more', async function () {
        const prefix = uniquePrefix();
        await append(store, `${prefix}-a`, [newEvent()]);
        const failure = new Error('handler failed');
        let calls = 0;
        const subscription = store.subscribeToAll({ streamPrefixes: [prefix] }, async () => {
          calls++;
          throw failure;
        });
        subscriptions.push(subscription);

        const reason = await rejectionOf(subscription.done);
        await append(store, `${prefix}-a`, [newEvent()]);
        await collect({ streamPrefixes: [prefix] }).subscription.caughtUp();

        expect(isOrWraps(reason, failure)).to.equal(true);
        expect(calls).to.equal(1);
      });

      it('stops delivering after stop(), and done then resolves', async function () {
        const prefix = uniquePrefix();
        await append(store, `${prefix}-a`, [newEvent()]);
        const { handled, subscription } = collect({ streamPrefixes: [prefix] });
        await subscription.caughtUp();

        await subscription.stop();
        await append(store, `${prefix}-a`, [newEvent()]);
        await collect({ streamPrefixes: [prefix] }).subscription.caughtUp();

        expect(handled).to.have.length(1);
        await subscription.done;
      });

      it('resolves stop() only once the running handler has returned', async function () {
        const prefix = uniquePrefix();
        await append(store, `${prefix}-a`, [newEvent()]);
        const held = gate();
        const arrived = gate();
        let handlerReturned = false;
        const subscription = store.subscribeToAll({ streamPrefixes: [prefix] }, async () => {
          arrived.open();
          await held.opened;
          handlerReturned = true;
        });
        subscriptions.push(subscription);
        await arrived.opened;

        let stopResolved = false;
        const stopping = subscription.stop().then(() => {
          stopResolved = true;
        });
        for (let turn = 0; turn < 5; turn++) await yieldToEventLoop();
        const resolvedWhileHandlerRan = stopResolved;
        held.open();
        await stopping;

        expect(resolvedWhileHandlerRan).to.equal(false);
        expect(handlerReturned).to.equal(true);
      });
    });
  });
}

/** Allowed difference between the store's clock and ours when checking `created`. */
const CLOCK_SKEW_MS = 60_000;

/** A stream-name prefix no other test, run or process uses. */
function uniquePrefix(): string {
  return `ctest${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

function newEvent(type = 'Tested', data: JsonObject = { n: Math.random() }, metadata: JsonObject = {}): NewEvent {
  return { id: randomUUID(), type, data, metadata };
}

async function append(store: EventStore, streamName: string, events: NewEvent[], expectedRevision?: ExpectedRevision) {
  const [result] = await store.appendToStreams([{ streamName, events, expectedRevision }]);
  if (!result) throw new Error('appendToStreams returned no result for the stream');
  return result;
}

function summary(event: RecordedEvent) {
  const { id, type, data, metadata, streamName, revision } = event;
  return { id, type, data, metadata, streamName, revision };
}

function expectStrictlyIncreasing(positions: bigint[]): void {
  positions.slice(1).forEach((position, index) => {
    expect(position > (positions[index] as bigint), `position ${index + 1} after position ${index}`).to.equal(true);
  });
}

function expectWrongRevision(
  error: unknown,
  streamName: string,
  expectedRevision: ExpectedRevision,
  actualRevision: bigint | 'no_stream',
): void {
  expect(error).to.be.instanceOf(WrongExpectedRevisionError);
  const wrong = error as WrongExpectedRevisionError;
  expect([wrong.streamName, wrong.expectedRevision, wrong.actualRevision]).to.deep.equal([
    streamName,
    expectedRevision,
    actualRevision,
  ]);
}

/** The subscription may pass the handler's error on as it is, or wrapped as the `cause` of its own. */
function isOrWraps(reason: unknown, original: Error): boolean {
  return reason === original || (reason instanceof Error && reason.cause === original);
}
