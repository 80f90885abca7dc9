import { expect } from 'chai';
import { quantileBound } from '../../bench/serverLatency';

describe("bench: the service's ack histogram read over one phase", () => {
  const buckets = (counts: [number, number][]) => new Map(counts);

  it('names the bound under which a share of the phase fell, counting only what the phase added', () => {
    const before = buckets([[0.005, 100], [0.05, 100], [0.5, 100], [Infinity, 100]]);
    const after = buckets([[0.005, 150], [0.05, 196], [0.5, 200], [Infinity, 200]]);
    expect(quantileBound(before, after, 0.5)).to.equal('<= 5');
    expect(quantileBound(before, after, 0.96)).to.equal('<= 50');
    expect(quantileBound(before, after, 0.99)).to.equal('<= 500');
  });

  it('says so when answers fell past the last bound, or when the phase had none', () => {
    const before = buckets([[0.5, 0], [5, 0], [Infinity, 0]]);
    expect(quantileBound(before, buckets([[0.5, 1], [5, 1], [Infinity, 10]]), 0.99)).to.equal('> 5000');
    expect(quantileBound(before, before, 0.5)).to.equal('n/a');
  });
});
