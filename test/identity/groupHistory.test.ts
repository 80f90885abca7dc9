import { expect } from 'chai';
import { withGroups } from '../../src/projections/attribution/identityGraph';

const link = { _id: 'ws:u_1', workspaceId: 'ws', identityKey: 'u_1', customerId: null, groupedAt: null, mergedInto: null };
const at = (minute: number) => new Date(Date.UTC(2026, 9, 1, 10, minute)).toISOString();
const memberships = (l: ReturnType<typeof withGroups>) => (l.groups ?? []).map((g) => `${g.customerId}@${g.at.slice(14, 16)}`);

describe('Identity links: the history of accounts a person was grouped with', () => {
  it('keeps changes of account only, in Segment time order, whatever order the calls arrive in', () => {
    let l = withGroups(link, [{ customerId: 'acme', at: at(10) }]);
    for (const [customerId, minute] of [['acme', 20], ['globex', 30], ['acme', 40], ['acme', 50], ['acme', 5]] as const) {
      l = withGroups(l, [{ customerId, at: at(minute) }]);
    }
    expect(memberships(l)).to.deep.equal(['acme@05', 'globex@30', 'acme@40']);
    expect(l).to.include({ customerId: 'acme', groupedAt: at(40) });
  });

  it('returns the link itself when a group call changes nothing (the same account, already in force)', () => {
    const grouped = withGroups(link, [{ customerId: 'acme', at: at(10) }]);
    expect(withGroups(grouped, [{ customerId: 'acme', at: at(30) }])).to.equal(grouped);
    expect(withGroups(grouped, [{ customerId: 'acme', at: at(10) }])).to.equal(grouped);
    expect(withGroups(grouped, [])).to.equal(grouped);
  });

  it('merges two histories (an identity merged into a person) into one without repeats', () => {
    const person = withGroups(link, [{ customerId: 'acme', at: at(10) }, { customerId: 'globex', at: at(30) }]);
    const merged = withGroups(person, [{ customerId: 'acme', at: at(15) }, { customerId: 'initech', at: at(35) }]);
    expect(memberships(merged)).to.deep.equal(['acme@10', 'globex@30', 'initech@35']);
    expect(merged.customerId).to.equal('initech');
  });
});
