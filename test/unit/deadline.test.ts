import { expect } from 'chai';
import { withinDeadline } from '../../src/http/webhook/deadline';
import { HttpError } from '../../src/http/httpError';
import { rejectionOf } from '../support/promises';

describe('the answer deadline', () => {
  it('passes through work that finishes in time', async () => {
    expect(await withinDeadline(Promise.resolve(42), 1000)).to.equal(42);
  });

  it('answers 503 with Retry-After when the work is still pending at the deadline', async () => {
    const never = new Promise<number>(() => undefined);
    const error = await rejectionOf(withinDeadline(never, 1));
    expect(error).to.be.instanceOf(HttpError);
    expect((error as HttpError).status).to.equal(503);
    expect((error as HttpError).headers?.['Retry-After']).to.match(/^\d+$/);
  });

  it('passes through a failure of the work', async () => {
    const error = await rejectionOf(withinDeadline(Promise.reject(new Error('disk full')), 1000));
    expect((error as Error).message).to.equal('disk full');
  });
});
