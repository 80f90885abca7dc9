import { expect } from 'chai';
import fc from 'fast-check';
import { isRight } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { CALL_TYPES, callCodecs } from '../../src/domain/segment/calls';
import { decodeCall, MAX_CALL_BYTES } from '../../src/domain/segment/decodeCall';

const receivedAt = new Date('2026-11-29T12:00:00.000Z');
const decode = (call: unknown) => decodeCall(call, receivedAt, () => Buffer.byteLength(JSON.stringify(call)));

const identifier = fc.oneof(fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0), fc.integer().map(String));
const isoDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const jsonObject = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });

const validCall = fc
  .record({
    type: fc.constantFrom('track', 'identify', 'group', 'page', 'screen', 'alias'),
    userId: identifier,
    messageId: fc.string({ minLength: 1, maxLength: 100 }),
    timestamp: isoDate,
    properties: jsonObject,
    unknownField: fc.jsonValue({ maxDepth: 2 }),
  })
  .map(({ type, properties, ...rest }) => ({
    ...rest,
    type,
    ...(type === 'track' ? { event: 'Feature Used', properties } : {}),
    ...(type === 'group' ? { groupId: 'account_1', traits: properties } : {}),
    ...(type === 'alias' ? { previousId: 'anon-1' } : {}),
    ...(type === 'identify' ? { traits: properties } : {}),
    ...(type === 'page' || type === 'screen' ? { name: 'Home', properties } : {}),
  }));

describe('decodeCall', () => {
  it('accepts every call the spec allows and keeps fields it does not know', () => {
    fc.assert(
      fc.property(validCall, (call) => {
        const result = decode(call);
        expect(result.ok, JSON.stringify(result)).to.equal(true);
        if (result.ok) {
          expect((result.call as Record<string, unknown>).unknownField).to.deep.equal(call.unknownField);
          expect(result.call.messageId).to.equal(call.messageId);
          expect(result.call.timestamp).to.equal(call.timestamp);
          expect(result.call.receivedAt).to.equal(receivedAt.toISOString());
        }
      }),
    );
  });

  it('never throws on arbitrary JSON, and every refusal names a field path', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const result = decode(value);
        if (!result.ok) {
          expect(result.errors.length).to.be.greaterThan(0);
          for (const error of result.errors) {
            expect(error.path).to.be.a('string').and.not.equal('');
            expect(error.message).to.be.a('string').and.not.equal('');
          }
        }
      }),
    );
  });

  it("derives the timestamp by Segment's rule when only device times are given", () => {
    const result = decode({
      type: 'track',
      event: 'X',
      userId: 'u',
      messageId: 'm',
      originalTimestamp: '2026-11-29T11:59:00.000Z',
      sentAt: '2026-11-29T11:59:30.000Z', // the device clock is 30 s behind by the time it sends
    });
    expect(result.ok && result.call.timestamp).to.equal('2026-11-29T11:59:30.000Z');
  });

  it('gives a call without any time the receipt time, and a call without messageId a content-derived one', () => {
    const call = { type: 'identify', userId: 'u', traits: { plan: 'pro' } };
    const first = decode(call);
    const again = decode({ ...call });
    const other = decode({ ...call, traits: { plan: 'free' } });
    expect(first.ok && first.call.timestamp).to.equal(receivedAt.toISOString());
    expect(first.ok && again.ok && first.call.messageId === again.call.messageId).to.equal(true);
    expect(first.ok && other.ok && first.call.messageId !== other.call.messageId).to.equal(true);
  });

  it('refuses a call over 32 KB', () => {
    const result = decode({ type: 'track', event: 'X', userId: 'u', properties: { blob: 'x'.repeat(MAX_CALL_BYTES) } });
    expect(result.ok).to.equal(false);
    expect(!result.ok && result.errors[0]!.message).to.match(/limit is 32768/);
  });

  it("accepts Segment's user-deletion notice", () => {
    const result = decode({ type: 'delete', userId: 'u-1', messageId: 'del-1' });
    expect(result.ok && result.call.type).to.equal('delete');
  });

  it("takes a call by its codec's `is` only where decoding would return it unchanged (decodeCall skips decoding then)", () => {
    // Values that sit on every codec's edges: blank and long strings, numbers (an Identifier turns them into text),
    // timestamps good and bad, objects, arrays, null.
    const edgy = fc.oneof(
      fc.constantFrom('', ' ', '  x ', 'x'.repeat(1025), 'x'.repeat(101), '2026-11-29T12:00:00.000Z', '2026-02-30', 'not a date', 'track'),
      fc.string({ maxLength: 12 }),
      fc.oneof(fc.integer(), fc.double()),
      fc.constantFrom(null, undefined, true),
      fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
      fc.array(fc.integer(), { maxLength: 2 }),
    );
    const fields = ['messageId', 'userId', 'anonymousId', 'timestamp', 'sentAt', 'receivedAt', 'originalTimestamp', 'context', 'integrations',
      'event', 'properties', 'traits', 'groupId', 'name', 'category', 'previousId'] as const;
    // A valid call of each type with one to three fields replaced by edge values: most fields stay valid, so many
    // inputs pass `is` or miss it by one field.
    const base = (type: string): Record<string, unknown> => ({
      type, messageId: 'm-1', userId: 'u-1', anonymousId: 'a-1', timestamp: '2026-11-29T12:00:00.000Z', context: {}, event: 'Used',
      properties: {}, traits: {}, groupId: 'g-1', name: 'Home', previousId: 'a-0',
    });
    const callLike = fc
      .record({ type: fc.constantFrom(...CALL_TYPES), changes: fc.array(fc.tuple(fc.constantFrom(...fields), edgy), { minLength: 1, maxLength: 3 }) })
      .map(({ type, changes }) => ({ ...base(type), ...Object.fromEntries(changes) }) as Record<string, unknown> & { type: (typeof CALL_TYPES)[number] });
    fc.assert(
      fc.property(callLike, (input) => {
        const codec = callCodecs[input.type] as t.Mixed;
        if (!codec.is(input)) return;
        const decoded = codec.decode(input);
        expect(isRight(decoded) && decoded.right === input, JSON.stringify(input)).to.equal(true);
      }),
      { numRuns: 3000 },
    );
  });
});
