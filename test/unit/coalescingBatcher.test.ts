import { expect } from 'chai';
import { CoalescingBatcher } from '../../src/shared/coalescingBatcher';
import { gate, rejectionOf } from '../support/promises';

describe('CoalescingBatcher', () => {
  it('serves requests made together with one batch, each getting its own result', async () => {
    const batches: number[][] = [];
    const batcher = new CoalescingBatcher(async (requests: number[]) => {
      batches.push(requests);
      return requests.map((n) => n * 10);
    });
    expect(await Promise.all([1, 2, 3].map((n) => batcher.submit(n)))).to.deep.equal([10, 20, 30]);
    expect(batches).to.deep.equal([[1, 2, 3]]);
  });

  it('runs one batch at a time and gathers what arrives meanwhile into the next', async () => {
    const held = gate();
    const batches: string[][] = [];
    const batcher = new CoalescingBatcher(async (requests: string[]) => {
      batches.push(requests);
      if (batches.length === 1) await held.opened;
      return requests.map((r) => r.toUpperCase());
    });
    const first = batcher.submit('a');
    await new Promise((resolve) => setImmediate(resolve));
    const later = [batcher.submit('b'), batcher.submit('c')];
    expect(batches).to.deep.equal([['a']]);
    held.open();
    expect(await Promise.all([first, ...later])).to.deep.equal(['A', 'B', 'C']);
    expect(batches).to.deep.equal([['a'], ['b', 'c']]);
  });

  it('fails only the requests of a failing batch; the next batch runs', async () => {
    let calls = 0;
    const batcher = new CoalescingBatcher(async (requests: number[]) => {
      calls += 1;
      if (calls === 1) throw new Error('store unreachable');
      return requests;
    });
    const failed = await rejectionOf(batcher.submit(1));
    expect((failed as Error).message).to.equal('store unreachable');
    expect(await batcher.submit(2)).to.equal(2);
  });
});
