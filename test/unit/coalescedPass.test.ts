import { expect } from 'chai';
import { CoalescedPass } from '../../src/shared/coalescedPass';

describe('CoalescedPass', () => {
  it('runs one pass at a time, and pokes during a pass ask for exactly one more', async () => {
    let passes = 0;
    let release: () => void = () => undefined;
    const pass = new CoalescedPass(async () => {
      passes += 1;
      if (passes === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    pass.poke();
    pass.poke();
    pass.poke();
    expect(passes).to.equal(1);
    release();
    await pass.settled();
    expect(passes).to.equal(2);
    pass.poke();
    await pass.settled();
    expect(passes).to.equal(3);
  });
});
