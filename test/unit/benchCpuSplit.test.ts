import { expect } from 'chai';
import { cpuNote, cpuPerEvent, CpuMark } from '../../bench/cpuSplit';

describe("bench: a phase's CPU per event, by thread and for the load generator", () => {
  const mark = (threads: [string, number][], generatorUs: number): CpuMark => ({ threads: new Map(threads), generatorUs });

  it("divides what each thread spent during the phase by the phase's events, largest first", () => {
    const before = mark([['main', 10], ['projector', 2], ['writer:events.db', 1]], 5_000_000);
    const after = mark([['main', 10.5], ['projector', 2.25], ['writer:events.db', 1], ['other', 0.05]], 5_100_000);
    const split = cpuPerEvent(before, after, 1000);
    // main 0.5 s, projector 0.25 s, a thread first seen in the phase counts from zero, an idle one not at all
    expect(split.byThread).to.deep.equal([['main', 500], ['projector', 250], ['other', 50]]);
    expect(split.serviceUs).to.equal(800);
    expect(split.generatorUs).to.equal(100);
    expect(cpuNote(split)).to.equal('CPU µs per event: service 800 (main 500, projector 250, other 50), load generator 100');
  });

  it('says when the service reported no threads (not Linux), and never divides by zero', () => {
    const split = cpuPerEvent(mark([], 0), mark([], 2000), 0);
    expect(split.generatorUs).to.equal(2000);
    expect(cpuNote(split)).to.contain('not reported');
  });
});
