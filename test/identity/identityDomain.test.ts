import { expect } from 'chai';
import fc from 'fast-check';
import { domainCandidates, emailDomain, groupTraitDomains, isFreeMailDomain, normaliseDomain } from '../../src/domain/identity/domains';
import { engageComputationOf } from '../../src/domain/identity/engage';
import { mapPersonalData } from '../../src/domain/identity/personalData';
import { applyTraits, mergeTraitMaps, TraitMap, traitValues } from '../../src/domain/identity/traits';
import type { SegmentCall } from '../../src/domain/segment/calls';

const base = { messageId: 'm', timestamp: '2026-01-01T00:00:00.000Z', receivedAt: '2026-01-01T00:00:01.000Z' };

describe('identity domain: traits, domains, Engage, personal data', () => {
  it('applies trait updates in any order to the same profile (per-trait last write wins)', () => {
    const update = fc.record({
      at: fc.integer({ min: 0, max: 50 }).map((m) => new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString()),
      by: fc.uuid(),
      traits: fc.dictionary(fc.constantFrom('email', 'name', 'title', 'plan'), fc.oneof(fc.string(), fc.integer())),
    });
    fc.assert(
      fc.property(fc.array(update, { maxLength: 12 }).chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length }))), ([updates, shuffled]) => {
        const apply = (list: typeof updates) => list.reduce<TraitMap>((map, u) => applyTraits(map, u.traits, u), {});
        expect(traitValues(apply(shuffled))).to.deep.equal(traitValues(apply(updates)));
        const half = Math.floor(updates.length / 2);
        expect(traitValues(mergeTraitMaps(apply(updates.slice(0, half)), apply(updates.slice(half))))).to.deep.equal(traitValues(apply(updates)));
      }),
    );
  });

  it('normalises domains from websites and emails, and looks parents up', () => {
    expect(normaliseDomain('https://www.Acme.com:443/pricing?x=1')).to.equal('acme.com');
    expect(normaliseDomain('not a domain')).to.equal(undefined);
    expect(emailDomain('Jane@EU.Acme.co.uk')).to.equal('eu.acme.co.uk');
    expect(emailDomain('no-at-sign')).to.equal(undefined);
    expect(domainCandidates('eu.app.acme.com')).to.deep.equal(['eu.app.acme.com', 'app.acme.com', 'acme.com']);
    expect(groupTraitDomains({ website: 'http://acme.com', domains: ['Acme.io', 'bad domain'] })).to.deep.equal(['acme.com', 'acme.io']);
    expect(isFreeMailDomain('gmail.com')).to.equal(true);
    expect(isFreeMailDomain('acme.com')).to.equal(false);
  });

  it('reads Engage computations with their key and class', () => {
    const personas = (c: string, k: string) => ({ personas: { computation_class: c, computation_key: k, computation_id: 'id1', space_id: 'sp' } });
    const identify = { ...base, type: 'identify', userId: 'u', traits: { ltv: 5 }, context: personas('trait', 'ltv') } as unknown as SegmentCall;
    expect(engageComputationOf(identify)).to.deep.equal({ computationClass: 'trait', computationKey: 'ltv', value: 5, computationId: 'id1', spaceId: 'sp' });
    const exited = { ...base, type: 'track', userId: 'u', event: 'Audience Exited', properties: { audience_key: 'vip' }, context: personas('audience', 'vip') } as unknown as SegmentCall;
    expect(engageComputationOf(exited)).to.include({ computationClass: 'audience', computationKey: 'vip', value: false });
    const plain = { ...base, type: 'track', userId: 'u', event: 'Feature Used' } as unknown as SegmentCall;
    expect(engageComputationOf(plain)).to.equal(undefined);
  });

  it('marks exactly the personal fields: identify traits, personal properties, context ip and traits', () => {
    const call = {
      ...base,
      type: 'track',
      userId: 'u',
      event: 'Signed Up',
      properties: { email: 'a@b.com', plan: 'pro', Phone: '1' },
      context: { ip: '1.2.3.4', traits: { name: 'A' }, library: { name: 'x' } },
    } as unknown as SegmentCall;
    const seen: unknown[] = [];
    const mapped = mapPersonalData(call, (v) => (seen.push(v), 'X')) as unknown as Record<string, Record<string, unknown>>;
    expect(seen).to.deep.equal(['a@b.com', '1', '1.2.3.4', { name: 'A' }]);
    expect(mapped.properties).to.deep.equal({ email: 'X', plan: 'pro', Phone: 'X' });
    expect(mapped.context!.library).to.deep.equal({ name: 'x' });
    const group = { ...base, type: 'group', userId: 'u', groupId: 'g', traits: { name: 'Acme', email: 'info@acme.com' } } as unknown as SegmentCall;
    expect(mapPersonalData(group, () => 'X')).to.deep.equal(group);
  });
});
