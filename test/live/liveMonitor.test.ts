import { expect } from 'chai';
import type { RecordedEvent } from '../../src/eventstore/port';
import { LiveMonitor } from '../../src/live/liveMonitor';
import type { ReadStore } from '../../src/readstore/port';

const event = (position: number, type: string, data: Record<string, unknown>): RecordedEvent =>
  ({ id: `e${position}`, streamName: 'customer-ws.c1', revision: BigInt(position), position: BigInt(position), type, data, metadata: { workspaceId: 'ws' }, created: new Date() }) as RecordedEvent;

describe('LiveMonitor: a large batch nobody watches', () => {
  it("shows its newest calls, however many other events follow them in the batch", () => {
    const monitor = new LiveMonitor({} as ReadStore); // a batch this large is never looked up
    const calls = Array.from({ length: 700 }, (_, i) => event(i + 1, 'SegmentTrackReceived.v1', { type: 'track', event: 'Used', messageId: `m${i + 1}` }));
    const others = Array.from({ length: 700 }, (_, i) => event(701 + i, 'CustomerRegistered.v1', { customerId: `c${i}` }));
    monitor.projected('attribution')([...calls, ...others]);
    const shown = monitor.feed.recent('ws');
    expect(shown).to.have.length(500);
    expect(shown.every((e) => e.stage === 'projected' && e.callType === 'track')).to.equal(true);
    expect(shown.at(-1)!.messageId).to.equal('m700');
    monitor.close();
  });
});
