import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { group, track } from '../support/segmentCalls';
import { startTestService, TestService, WEBHOOK } from '../support/testService';

interface ErrorAnswer {
  error: string;
  message: string;
  rejected?: { index: number; errors: { path: string; message: string }[] }[];
}

/** The catalogue of bad requests: each gets a 4xx that names the problem, and the service keeps serving. */
describe('Segment webhook: bad input', function () {
  let service: TestService;
  before(async () => {
    service = await startTestService();
  });
  after(async () => service.close());
  afterEach(async () => {
    // Whatever came before, the service still takes a valid call.
    expect((await service.post(WEBHOOK, track())).status).to.equal(200);
  });

  const firstError = (answer: ErrorAnswer) => answer.rejected?.[0]?.errors[0];

  const expectFieldError = async (call: unknown, path: string, pattern: RegExp) => {
    const response = await service.post(WEBHOOK, call);
    expect(response.status).to.equal(400);
    const answer = (await response.json()) as ErrorAnswer;
    expect(answer.error).to.equal('invalid_calls');
    expect(firstError(answer)?.path).to.equal(path);
    expect(firstError(answer)?.message).to.match(pattern);
  };

  it('broken JSON is a 400 that says so', async () => {
    const response = await service.post(WEBHOOK, '{"type": "track", ');
    expect(response.status).to.equal(400);
    expect(((await response.json()) as ErrorAnswer).error).to.equal('invalid_json');
  });

  it('a body that is not an object or array is a 400', async () => {
    for (const body of ['42', '"track"', 'null', 'true']) {
      const response = await service.post(WEBHOOK, body);
      expect(response.status, body).to.equal(400);
      expect(((await response.json()) as ErrorAnswer).error).to.equal('invalid_body');
    }
  });

  it('a wrong type of call, or none, names the type field', async () => {
    await expectFieldError({ ...track(), type: 'purchase' }, 'type', /expected one of track/);
    const { type: _omitted, ...untyped } = track();
    await expectFieldError(untyped, 'type', /expected one of/);
  });

  it('missing required fields name the field', async () => {
    const { event: _e, ...noEvent } = track() as Record<string, unknown>;
    await expectFieldError(noEvent, 'event', /non-empty string/);
    const { groupId: _g, ...noGroup } = group() as Record<string, unknown>;
    await expectFieldError(noGroup, 'groupId', /non-empty string/);
    const { userId: _u, ...nobody } = track() as Record<string, unknown>;
    await expectFieldError(nobody, 'userId', /userId or anonymousId is required/);
    await expectFieldError({ type: 'alias', userId: 'u1', messageId: 'a1' }, 'previousId', /non-empty string/);
  });

  it('wrongly typed fields name the field and what was expected', async () => {
    await expectFieldError(track({ properties: [1, 2] }), 'properties', /expected an object, got an array/);
    await expectFieldError(track({ context: 'web' }), 'context', /object/);
    await expectFieldError(track({ timestamp: 'yesterday' }), 'timestamp', /ISO-8601/);
    await expectFieldError(track({ timestamp: '2026-13-45T99:00:00Z' }), 'timestamp', /ISO-8601/);
    await expectFieldError(track({ messageId: 'x'.repeat(101) }), 'messageId', /at most 100/);
    await expectFieldError(track({ userId: { id: 1 } }), 'userId', /non-empty string/);
    await expectFieldError({ ...group(), traits: 'gold' }, 'traits', /object/);
  });

  it('a single call over 32 KB is a 413', async () => {
    const response = await service.post(WEBHOOK, track({ properties: { blob: 'x'.repeat(33 * 1024) } }));
    expect(response.status).to.equal(413);
    expect(((await response.json()) as ErrorAnswer).error).to.equal('call_too_large');
  });

  it('an oversized call inside a batch is rejected alone; its siblings are stored', async () => {
    const big = track({ properties: { blob: 'x'.repeat(33 * 1024) } });
    const response = await service.post(WEBHOOK, [track(), big, track()]);
    expect(response.status).to.equal(200);
    const answer = (await response.json()) as ErrorAnswer & { accepted: number };
    expect(answer.accepted).to.equal(2);
    expect(answer.rejected?.map((r) => r.index)).to.deep.equal([1]);
    expect(firstError(answer)?.message).to.match(/limit is 32768/);
  });

  it('a batch over 4,000 calls, or a body over the byte limit, is a 413', async () => {
    const calls = Array.from({ length: 4001 }, () => ({ type: 'track', userId: 'u', event: 'e' }));
    const response = await service.post(WEBHOOK, calls);
    expect(response.status).to.equal(413);
    expect(((await response.json()) as ErrorAnswer).error).to.equal('batch_too_large');
    const huge = await service.post(WEBHOOK, Buffer.alloc(17 * 1024 * 1024, 0x20));
    expect(huge.status).to.equal(413);
  });

  it('deep nesting is refused with the path where it gets too deep', async () => {
    let nested: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 40; i++) nested = { n: nested };
    const response = await service.post(WEBHOOK, track({ properties: nested }));
    expect(response.status).to.equal(400);
    const error = firstError((await response.json()) as ErrorAnswer);
    expect(error?.path).to.match(/^properties(\.n)+$/);
    expect(error?.message).to.match(/nested deeper than 32/);
    // Nesting deep enough to break a naive recursive parser is still a clean 4xx.
    const abusive = '['.repeat(100_000) + ']'.repeat(100_000);
    const answer = await service.post(WEBHOOK, abusive);
    expect(answer.status).to.be.within(400, 499);
  });

  it('__proto__ keys are kept as data and pollute nothing', async () => {
    const body = `{"type":"group","userId":"u1","groupId":"proto_acct","messageId":"proto-1",
      "traits":{"__proto__":{"polluted":true},"name":"Proto"},"context":{"constructor":{"prototype":{"x":1}}}}`;
    const response = await service.post(WEBHOOK, body);
    expect(response.status).to.equal(200);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    await service.settled();
    const listed = (await (await service.get('/api/segment/events/proto_acct')).json()) as {
      events: { call: { traits: Record<string, unknown> } }[];
    };
    const traits = listed.events[0]!.call.traits;
    expect(Object.getOwnPropertyNames(traits)).to.include('__proto__');
    expect(JSON.stringify(traits)).to.contain('"__proto__":{"polluted":true}');
  });

  it('a body that is not JSON by content type is a 415', async () => {
    for (const type of ['text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await service.post(WEBHOOK, JSON.stringify(track()), { 'content-type': type });
      expect(response.status, type).to.equal(415);
      expect(((await response.json()) as ErrorAnswer).message).to.contain('application/json');
    }
  });

  it('accepts a gzip-compressed body and refuses an unknown encoding', async () => {
    const call = track();
    const zipped = await service.post(WEBHOOK, gzipSync(JSON.stringify(call)), { 'content-encoding': 'gzip' });
    expect(zipped.status).to.equal(200);
    const odd = await service.post(WEBHOOK, JSON.stringify(track()), { 'content-encoding': 'br-zip' });
    expect(odd.status).to.equal(415);
  });

  it('numbers as ids are taken as strings, since SDKs send database ids that way', async () => {
    const response = await service.post(WEBHOOK, { type: 'group', userId: 42, groupId: 7, messageId: 'num-ids' });
    expect(response.status).to.equal(200);
    await service.settled();
    const listed = (await (await service.get('/api/segment/events/7')).json()) as { events: { userId: string }[] };
    expect(listed.events[0]!.userId).to.equal('42');
  });
});
