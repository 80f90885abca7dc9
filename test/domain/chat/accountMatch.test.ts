import { expect } from 'chai';
import fc from 'fast-check';
import { AccountCandidate, matchAccount } from '../../../src/domain/chat/accountMatch';
import { editDistance, levenshteinSimilarity, trigramSimilarity } from '../../../src/domain/chat/similarity';

const account = (id: string, name: string | null, domains: string[] = [], groupIds: string[] = []): AccountCandidate => ({
  id,
  name,
  domains,
  groupIds,
});

const accounts = [
  account('c1', 'Acme Corp', ['acme.com'], ['grp_acme']),
  account('c2', 'Globex Corporation', ['globex.io']),
  account('c3', 'Initech', ['initech.com']),
  account('c4', 'Acme Labs', ['acmelabs.dev']),
  account('c5', 'Umbrella', []),
];

describe('chat: finding the account a person means', () => {
  it('takes an exact name, a name without its company suffix, a domain or a group id', () => {
    for (const query of ['Acme Corp', 'acme corp', 'acme.com', 'grp_acme', 'ACME CORP.']) {
      const match = matchAccount(query, accounts);
      expect(match, query).to.deep.include({ kind: 'one' });
      expect((match as { account: AccountCandidate }).account.id).to.equal('c1');
    }
    expect(matchAccount('Globex', accounts)).to.deep.equal({ kind: 'one', account: accounts[1] });
  });

  it('forgives misspellings', () => {
    expect(matchAccount('Initek', accounts)).to.deep.equal({ kind: 'one', account: accounts[2] });
    expect(matchAccount('Glbex', accounts)).to.deep.equal({ kind: 'one', account: accounts[1] });
    expect(matchAccount('umbrela', accounts)).to.deep.equal({ kind: 'one', account: accounts[4] });
  });

  it('asks which when several accounts are close', () => {
    const match = matchAccount('Acme', accounts);
    expect(match.kind).to.equal('several');
    expect((match as { accounts: readonly AccountCandidate[] }).accounts.map((a) => a.id)).to.have.members(['c1', 'c4']);
  });

  it('finds nothing for a name unlike any account', () => {
    expect(matchAccount('Soylent Green', accounts)).to.deep.equal({ kind: 'none' });
    expect(matchAccount('', accounts)).to.deep.equal({ kind: 'none' });
    expect(matchAccount('acme', [])).to.deep.equal({ kind: 'none' });
  });

  it('edit distance is a metric: zero only for equal strings, symmetric', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        expect(editDistance(a, b)).to.equal(editDistance(b, a));
        expect(editDistance(a, b) === 0).to.equal(a === b);
        expect(editDistance(a, b)).to.be.at.most(Math.max(a.length, b.length));
      }),
    );
  });

  it('similarities stay between 0 and 1 and are 1 for equal strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        for (const similarity of [levenshteinSimilarity, trigramSimilarity]) {
          expect(similarity(a, b)).to.be.within(0, 1);
          expect(similarity(a, a)).to.equal(1);
        }
      }),
    );
  });
});
