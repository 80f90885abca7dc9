import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { identityKey } from '../../src/domain/ids';
import { mapPersonalData } from '../../src/domain/identity/personalData';
import type { SegmentCall } from '../../src/domain/segment/calls';
import { parseEnvelope, seal } from '../../src/privacy/envelope';
import type { KeyStore } from '../../src/privacy/keyStore';
import { PersonalDataCipher } from '../../src/privacy/personalDataCipher';
import { openSqliteKeyStore } from '../../src/privacy/sqliteKeyStore';

const at = '2026-03-01T10:00:00.000Z';
const identify = (): SegmentCall =>
  ({
    type: 'identify',
    userId: 'ann',
    messageId: randomUUID(),
    timestamp: at,
    receivedAt: at,
    traits: { email: 'ann@acme.com', middleName: null, name: 'Ann Lee', plan: 'pro', seats: 12, tags: ['a', 'b'] },
    context: { ip: '203.0.113.9', traits: { phone: '+1 555 0100' }, library: { name: 'analytics-node' } },
  }) as unknown as SegmentCall;
const track = (properties: Record<string, unknown>): SegmentCall =>
  ({ type: 'track', event: 'Report Viewed', userId: 'ann', messageId: randomUUID(), timestamp: at, receivedAt: at, properties, context: { ip: '203.0.113.9' } }) as unknown as SegmentCall;

/** Every personal value of a sealed call, as stored. */
const sealedTexts = (call: SegmentCall): string[] => {
  const texts: string[] = [];
  mapPersonalData(call, (value) => (texts.push(String(value)), value));
  return texts;
};

describe('Sealed personal data formats', () => {
  let keys: KeyStore;
  let cipher: PersonalDataCipher;
  beforeEach(() => {
    keys = openSqliteKeyStore(':memory:');
    cipher = new PersonalDataCipher(keys);
  });
  afterEach(() => keys.close());

  it('seals a call with several personal values as one envelope (head and references) that opens back whole', async () => {
    const call = identify();
    const [sealed] = await cipher.sealCalls('ws', [call]);
    const texts = sealedTexts(sealed!);
    expect(texts).to.have.length(7); // five traits, context.ip, context.traits
    expect(texts[0]).to.match(/^enc:v2:/);
    expect(texts.slice(1).every((t, i) => t.endsWith(`:${i + 1}`) && t.length < 80)).to.equal(true);
    const stored = JSON.stringify(sealed);
    for (const secret of ['ann@acme.com', 'Ann Lee', '203.0.113.9', '555 0100']) expect(stored).not.to.include(secret);
    expect((sealed as unknown as { context: { library: unknown } }).context.library).to.deep.equal({ name: 'analytics-node' });
    // As stored and read back: through JSON.
    expect(await cipher.openCall(JSON.parse(stored) as SegmentCall)).to.deep.equal(call);
  });

  it('keeps a call with one personal value in its own v1 envelope', async () => {
    const [sealed] = await cipher.sealCalls('ws', [track({ feature: 'exports' })]);
    expect(sealedTexts(sealed!)).to.satisfy((texts: string[]) => texts.length === 1 && texts[0]!.startsWith('enc:v1:'));
    expect((await cipher.openCall(sealed!)).context).to.deep.equal({ ip: '203.0.113.9' });
  });

  it('opens events stored before, with every personal value in its own v1 envelope', async () => {
    const owner = identityKey('ws', 'user', 'ann');
    const live = (await keys.keysFor('ws', [owner])).get(owner)!;
    const call = identify();
    const old = mapPersonalData(call, (value) => seal(value, live.kid, live.key));
    expect(sealedTexts(old).every((t) => t.startsWith('enc:v1:'))).to.equal(true);
    expect(await new PersonalDataCipher(keys).openCall(JSON.parse(JSON.stringify(old)) as SegmentCall)).to.deep.equal(call);
  });

  it('opens the values of a head whose context was left out by the reader, and nothing once the key is destroyed', async () => {
    const call = track({ email: 'ann@acme.com', name: 'Ann Lee', feature: 'exports' });
    const [sealed] = await cipher.sealCalls('ws', [call]);
    const withoutContext = { ...sealed!, context: {} } as SegmentCall;
    expect((await cipher.openCall(withoutContext)).properties).to.deep.equal(call.properties);

    await cipher.forget('ws', [identityKey('ws', 'user', 'ann')], new Date().toISOString());
    const opened = await new PersonalDataCipher(keys).openCall(sealed!);
    expect(opened.properties).to.deep.equal({ feature: 'exports' });
    expect(opened.context).to.deep.equal({});
  });

  it('opens nothing from a tampered head, nor from a v1 envelope relabelled as a v2 head', async () => {
    const [several] = await cipher.sealCalls('ws', [identify()]);
    const head = sealedTexts(several!)[0]!;
    const tampered = { ...several!, traits: { ...(several as { traits: object }).traits, email: head.slice(0, -2) + (head.at(-2) === 'A' ? 'B' : 'A') + head.slice(-1) } } as SegmentCall;
    const openedTampered = await cipher.openCall(tampered);
    expect(openedTampered.traits).to.deep.equal({ middleName: null }); // every sealed value is gone; the null was never sealed

    const [one] = await cipher.sealCalls('ws', [track({ feature: 'x' })]);
    const relabelled = JSON.parse(JSON.stringify(one).replace('enc:v1:', 'enc:v2:')) as SegmentCall;
    expect((await cipher.openCall(relabelled)).context).to.deep.equal({});
  });
  it('parses each kind of envelope into its key id and place, and opens nothing from references without their head or malformed envelopes', async () => {
    const owner = identityKey('ws', 'user', 'ann');
    const [sealed] = await cipher.sealCalls('ws', [identify()]);
    const texts = sealedTexts(sealed!);
    const { kid } = (await keys.keysFor('ws', [owner])).get(owner)!;
    expect(parseEnvelope(texts[0]!)).to.include({ kind: 'head', kid });
    expect(parseEnvelope(texts[3]!)).to.deep.equal({ kind: 'reference', kid, index: 3 });
    expect(parseEnvelope(seal('x', kid, Buffer.alloc(32)))).to.include({ kind: 'value', kid });
    for (const malformed of [`enc:v2:${kid}:0`, `enc:v2:${kid}:-1`, `enc:v1:${kid}:3`, 'enc:v1:abc', `enc:v2:${kid}`]) {
      expect(parseEnvelope(malformed), malformed).to.equal(undefined);
    }

    // The head (the first trait) left out: its references open to nothing. Malformed envelopes open to nothing;
    // a plain value in a personal place stays as it is.
    const { email: _head, ...traits } = (sealed as unknown as { traits: Record<string, unknown> }).traits;
    const withoutHead = { ...sealed!, traits: { ...traits, name: `enc:v2:${kid}:0`, plan: 'enc:v1:abc', seats: 12 } } as unknown as SegmentCall;
    const opened = (await cipher.openCall(withoutHead)) as unknown as { traits: object; context: object };
    expect(opened.traits).to.deep.equal({ middleName: null, seats: 12 });
    expect(opened.context).to.deep.equal({ library: { name: 'analytics-node' } });
  });
});
