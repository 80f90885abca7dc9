import { expect } from 'chai';
import fc from 'fast-check';
import { DEFAULT_MAPPINGS } from '../../src/domain/signals/defaultMappings';
import { signalFor } from '../../src/domain/signals/evaluateMapping';
import { alertsFor } from '../../src/domain/signals/healthAlerts';
import { addSignal, EMPTY_HEALTH, scoreOf, ScoredSignal } from '../../src/domain/signals/healthScore';
import type { MappingSet } from '../../src/domain/signals/mappingRules';
import { progressOf } from '../../src/replay/progress';

const rules = (rule: Partial<MappingSet['rules'][number]>): MappingSet => ({
  version: 7,
  rules: [{ id: 'r', event: { equals: 'E' }, signalType: 'risk', weight: 1, enabled: true, ...rule }],
});

describe('Mapping rules (pure)', () => {
  it('maps the default events and keeps only the mapped properties, renamed', () => {
    const signal = signalFor('Upgrade Started', { plan: 'pro', seats: 3, secret: 'x' }, DEFAULT_MAPPINGS);
    expect(signal).to.deep.equal({ ruleId: 'upgrade-started', signalType: 'expansion', weight: 1, properties: { plan: 'pro', seats: 3 }, mappingVersion: 0 });
    expect(signalFor('Audience Entered', { audience_key: 'vip' }, DEFAULT_MAPPINGS)!.properties).to.deep.equal({ audience: 'vip' });
    expect(signalFor('Something Else', {}, DEFAULT_MAPPINGS)).to.equal(null);
  });

  it('never keeps personal properties, even when a rule names them', () => {
    const set = rules({ properties: [{ from: 'email', to: 'who' }, { from: 'contact.phone', to: 'tel' }, { from: 'plan', to: 'plan' }] });
    const signal = signalFor('E', { email: 'jane@acme.com', contact: { phone: '+1 555' }, plan: 'pro' }, set);
    expect(signal!.properties).to.deep.equal({ plan: 'pro' });
  });

  it('matches patterns literally except for * and ?', () => {
    const set = rules({ event: { pattern: 'Report (*).v?' } });
    expect(signalFor('Report (pdf).v2', {}, set)).to.not.equal(null);
    expect(signalFor('Report pdf.v2', {}, set)).to.equal(null);
    expect(signalFor('Report (pdf).v22', {}, set)).to.equal(null);
  });

  it('applies every condition kind, comparing only values of the same type', () => {
    const holds = (condition: object, properties: Record<string, unknown>) =>
      signalFor('E', properties, rules({ conditions: [condition as never] })) !== null;
    expect(holds({ property: 'plan.tier', equals: 'gold' }, { plan: { tier: 'gold' } })).to.equal(true);
    expect(holds({ property: 'p', oneOf: ['a', 1] }, { p: 1 })).to.equal(true);
    expect(holds({ property: 'p', oneOf: ['a', 1] }, { p: '1' })).to.equal(false);
    expect(holds({ property: 'n', greaterThan: 9 }, { n: 10 })).to.equal(true);
    expect(holds({ property: 'n', greaterThan: 9 }, { n: '10' })).to.equal(false);
    expect(holds({ property: 'n', lessThan: 9 }, {})).to.equal(false);
    expect(holds({ property: 'x', exists: true }, { x: 0 })).to.equal(true);
    expect(holds({ property: 'x', exists: false }, { x: null })).to.equal(true);
  });

  it('lets the first enabled matching rule decide', () => {
    const set: MappingSet = {
      version: 1,
      rules: [
        { id: 'off', event: { equals: 'E' }, signalType: 'risk', weight: 1, enabled: false },
        { id: 'on', event: { pattern: '*' }, signalType: 'adoption', weight: 1, enabled: true },
        { id: 'later', event: { equals: 'E' }, signalType: 'expansion', weight: 1, enabled: true },
      ],
    };
    expect(signalFor('E', {}, set)!.ruleId).to.equal('on');
  });
});

const signalArb: fc.Arbitrary<ScoredSignal> = fc.record({
  signalType: fc.constantFrom('adoption', 'expansion', 'risk', 'audience_entered'),
  weight: fc.integer({ min: 0, max: 5 }),
  timestamp: fc.integer({ min: Date.parse('2026-01-01'), max: Date.parse('2026-04-01') }).map((ms) => new Date(ms).toISOString()),
  feature: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
});

describe('Health score (pure)', () => {
  it('depends on the set of signals, not the order they arrive in', () => {
    fc.assert(
      fc.property(fc.array(signalArb, { maxLength: 40 }).chain((signals) => fc.tuple(fc.constant(signals), fc.shuffledSubarray(signals, { minLength: signals.length }))), ([signals, shuffled]) => {
        const a = signals.reduce(addSignal, EMPTY_HEALTH);
        const b = shuffled.reduce(addSignal, EMPTY_HEALTH);
        if (!a.latestAt) return;
        expect(scoreOf(b, b.latestAt!)).to.deep.equal(scoreOf(a, a.latestAt));
        expect(b.totals).to.deep.equal(a.totals);
      }),
    );
  });

  it('stays within 0 to 100 and its components add up to it', () => {
    fc.assert(
      fc.property(fc.array(signalArb, { minLength: 1, maxLength: 60 }), (signals) => {
        const state = signals.reduce(addSignal, EMPTY_HEALTH);
        const { score, components } = scoreOf(state, state.latestAt!);
        expect(score).to.be.within(0, 100);
        const sum = Object.values(components).reduce((x, y) => x + y, 0);
        expect(score).to.equal(Math.max(0, Math.min(100, Math.round(sum))));
      }),
    );
  });

  it('scores by the documented rules (README: breadth 30 at 5 features, frequency 25 at 12 days, ...)', () => {
    const at = '2026-03-01T12:00:00.000Z';
    const adoption = addSignal(EMPTY_HEALTH, { signalType: 'adoption', weight: 1, timestamp: at, feature: 'a' });
    // breadth 30 x 1/5 = 6, frequency 25 x 1/12 = 2.08, expansion 0, recency 30 (today), risk 0: 38.08
    expect(scoreOf(adoption, at).score).to.equal(38);
    const expansion = addSignal(adoption, { signalType: 'expansion', weight: 1, timestamp: at, feature: 'x' });
    // + expansion 15 x 1/2 = 7.5: 45.58
    expect(scoreOf(expansion, at).score).to.equal(46);
    const risk = addSignal(expansion, { signalType: 'risk', weight: 1, timestamp: at, feature: 'r' });
    // + risk -10: 35.58
    expect(scoreOf(risk, at).score).to.equal(36);
    // 15 days later recency has fallen to 15: 20.58
    expect(scoreOf(risk, '2026-03-16T12:00:00.000Z').score).to.equal(21);
  });

  it('loses recency as time passes without adoption, and sees a usage drop against the own baseline', () => {
    let state = EMPTY_HEALTH;
    for (let day = 1; day <= 28; day++) {
      for (let i = 0; i < 3; i++) {
        state = addSignal(state, { signalType: 'adoption', weight: 1, timestamp: `2026-02-${String(day).padStart(2, '0')}T10:0${i}:00.000Z`, feature: `f${i}` });
      }
    }
    const busy = scoreOf(state, state.latestAt!);
    expect(busy.usage.dropped).to.equal(false);
    const later = scoreOf(state, '2026-03-20T10:00:00.000Z');
    expect(later.components.recency).to.be.lessThan(busy.components.recency);
    expect(later.usage.dropped).to.equal(true);
    const alerts = alertsFor({ signalType: 'adoption', eventName: 'Feature Used', signalProperties: {}, before: busy, after: later, usageDropOpen: false });
    expect(alerts.map((a) => a.kind)).to.include('usage-drop');
    expect(alertsFor({ signalType: 'adoption', eventName: 'F', signalProperties: {}, before: busy, after: later, usageDropOpen: true }).map((a) => a.kind)).to.not.include('usage-drop');
  });
});

describe('Replay progress (pure)', () => {
  it('estimates the total from the share of the log covered, exact once caught up', () => {
    const half = progressOf({ eventsDone: 500, startPosition: 0, position: 1000, headAtStart: 2000, elapsedMs: 1000, caughtUp: false });
    expect(half).to.deep.include({ eventsTotal: 1000, totalIsEstimate: true, eventsPerSecond: 500, etaSeconds: 1, fraction: 0.5 });
    const done = progressOf({ eventsDone: 990, startPosition: 0, position: 1990, headAtStart: 2000, elapsedMs: 2000, caughtUp: true });
    expect(done).to.deep.include({ eventsTotal: 990, totalIsEstimate: false, etaSeconds: 0, fraction: 1 });
  });
});
