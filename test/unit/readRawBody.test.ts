import { expect } from 'chai';
import type { Context } from 'koa';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { HttpError } from '../../src/http/httpError';
import { readRawBody } from '../../src/http/webhook/readRawBody';
import { rejectionOf } from '../support/promises';

const contextOf = (req: PassThrough, headers: Record<string, string> = {}) =>
  ({ req, get: (name: string) => headers[name.toLowerCase()] ?? '' }) as unknown as Context;

describe('Reading a webhook body', function () {
  this.timeout(5000); // a body promise that never settles fails here instead of hanging the request

  it('answers 400 for a request whose connection closed before reading began', async () => {
    const req = new PassThrough();
    req.destroy();
    const error = await rejectionOf(readRawBody(contextOf(req), 1000));
    expect(error).to.be.instanceOf(HttpError);
    expect((error as HttpError).status).to.equal(400);
  });

  it('answers 400 when a gzip upload is cut off, and reads a whole one', async () => {
    const whole = new PassThrough();
    whole.end(gzipSync('{"type":"track"}'));
    expect((await readRawBody(contextOf(whole, { 'content-encoding': 'gzip' }), 1000)).toString()).to.equal('{"type":"track"}');

    const cut = new PassThrough();
    const reading = readRawBody(contextOf(cut, { 'content-encoding': 'gzip' }), 1000);
    cut.write(gzipSync('{"type":"track"}').subarray(0, 8));
    cut.destroy();
    expect(((await rejectionOf(reading)) as HttpError).status).to.equal(400);
  });
});
