import { expect } from 'chai';
import { customerIdForGroup, forgetIdsOf, identityKey, idsMemoHolds } from '../../src/domain/ids';
import { docId } from '../../src/projections/attribution/documents';
import { personId, stakeholderId } from '../../src/projections/stakeholders/documents';
import { joinedId } from '../../src/shared/joinedIds';
import { PairMemo } from '../../src/shared/pairMemo';

describe('Remembered ids', () => {
  it('derive the ids stored so far: identity keys, group customers, and document ids joined with a colon', () => {
    // Stored in events and read models: these must never change.
    expect(identityKey('default', 'user', 'user_2606_8')).to.equal('u_1ff89438f75b5b8bb4f50edd');
    expect(identityKey('default', 'anonymous', 'anon-2606-8')).to.equal('a_c19c7ea9782f546da90168a9');
    expect(customerIdForGroup('default', 'acct_2606')).to.equal('grp_8e22cd0fea4e5e91b411');
    expect(docId('default', 'u_1ff8')).to.equal('default:u_1ff8');
    expect(personId('default', 'u_1ff8')).to.equal('default:u_1ff8');
    expect(stakeholderId('default', 'grp_8e22', 'u_1ff8')).to.equal('default:grp_8e22:u_1ff8');
    expect(joinedId('a:b', 'c')).to.equal(joinedId('a', 'b:c'));
  });

  it('derive each pair once, and again only after the limit made them forget everything', () => {
    let derived = 0;
    const memo = new PairMemo(3, (first, second) => `${first}/${second}/${++derived}`);
    expect([memo.get('w', 'a'), memo.get('w', 'a'), memo.get('w', 'b'), memo.get('v', 'a')]).to.deep.equal(['w/a/1', 'w/a/1', 'w/b/2', 'v/a/3']);
    expect(memo.get('w', 'c'), 'past the limit: all forgotten, then remembered anew').to.equal('w/c/4');
    expect(memo.get('w', 'a')).to.equal('w/a/5');
    expect(memo.get('w', 'c')).to.equal('w/c/4');
  });

  it("forget one workspace's pairs, and count only what is left against the limit", () => {
    let derived = 0;
    const memo = new PairMemo(2, (first, second) => `${first}/${second}/${++derived}`);
    memo.get('gone', 'a');
    memo.get('kept', 'a');
    memo.forget('gone');
    expect(memo.holds('gone')).to.equal(false);
    memo.get('kept', 'b'); // two pairs held now: kept/a and kept/b
    expect(memo.get('kept', 'a'), 'kept/a still remembered').to.equal('kept/a/2');

    identityKey('removed-ws', 'user', 'u1');
    customerIdForGroup('removed-ws', 'g1');
    forgetIdsOf('removed-ws');
    expect(idsMemoHolds('removed-ws')).to.equal(false);
  });
});
