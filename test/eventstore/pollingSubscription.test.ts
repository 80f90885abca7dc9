import { expect } from 'chai';
import type { ReadAllOptions, RecordedEvent } from '../../src/eventstore/port';
import { pollingSubscription, PollSource } from '../../src/eventstore/sqlite/pollingSubscription';

/** An in-memory log that announces its commits like the SQLite store, and counts the reads made of it. */
class FakeLog implements PollSource {
  readonly events: RecordedEvent[] = [];
  reads = 0;
  private readonly listeners = new Set<(streams: ReadonlyMap<string, unknown>) => void>();

  readAllWithHead(options: ReadAllOptions): { events: RecordedEvent[]; head: bigint } {
    this.reads += 1;
    const after = options.after ?? 0n;
    const matching = this.events.filter(
      (e) => e.position > after && (!options.streamPrefixes || options.streamPrefixes.some((p) => e.streamName.startsWith(p))),
    );
    return { events: matching.slice(0, options.maxCount), head: this.events.at(-1)?.position ?? 0n };
  }

  onCommit(listener: (streams: ReadonlyMap<string, unknown>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  commit(streamName: string): void {
    const position = BigInt(this.events.length + 1);
    this.events.push({ id: `e${position}`, streamName, revision: 0n, position, type: 'T', data: {}, metadata: {}, created: new Date() } as RecordedEvent);
    for (const listener of this.listeners) listener(new Map([[streamName, 1]]));
  }
}

const turns = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('embedded polling subscription', () => {
  it('sleeps through commits of streams outside its prefixes, and reads after one inside them', async () => {
    const log = new FakeLog();
    const seen: string[] = [];
    const subscription = pollingSubscription(log, { streamPrefixes: ['rejected-'] }, async (events) => void seen.push(...events.map((e) => e.id)), 60_000);
    await turns();
    const readsAtRest = log.reads;
    for (let i = 0; i < 5; i++) log.commit(`customer-w.c${i}`);
    await turns();
    expect(log.reads).to.equal(readsAtRest);
    log.commit('rejected-w');
    await turns();
    expect(log.reads).to.be.greaterThan(readsAtRest);
    expect(seen).to.deep.equal(['e6']);
    await subscription.stop();
  });

  it('reads again at once when a commit came while a batch was being handled, without waiting for the poll', async () => {
    const log = new FakeLog();
    const seen: string[] = [];
    let second: () => void = () => undefined;
    const secondSeen = new Promise<void>((resolve) => (second = resolve));
    const subscription = pollingSubscription(
      log,
      {},
      async (events) => {
        seen.push(...events.map((e) => e.id));
        if (seen.length === 1) log.commit('customer-w.b'); // committed while this batch is handled
        if (seen.includes('e2')) second();
      },
      60_000, // the poll would come far too late for this test
    );
    log.commit('customer-w.a');
    await secondSeen;
    expect(seen).to.deep.equal(['e1', 'e2']);
    await subscription.stop();
  });
});
