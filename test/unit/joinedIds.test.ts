import { expect } from 'chai';
import { joinedId } from '../../src/shared/joinedIds';
import { personId, stakeholderId } from '../../src/projections/stakeholders/documents';
import { docId } from '../../src/projections/attribution/documents';

describe('Remembered document ids', () => {
  it('are the parts joined with a colon, as the documents written before have them', () => {
    expect(docId('default', 'u_1ff8')).to.equal('default:u_1ff8');
    expect(personId('default', 'u_1ff8')).to.equal('default:u_1ff8');
    expect(stakeholderId('default', 'grp_8e22', 'u_1ff8')).to.equal('default:grp_8e22:u_1ff8');
    expect(joinedId('a:b', 'c')).to.equal(joinedId('a', 'b:c'));
  });

  it('stay right past the number of pairs remembered (everything is forgotten, then joined again)', () => {
    const wrong: string[] = [];
    for (let i = 0; i < 250_000; i++) if (joinedId(`ws${i % 3}`, `k${i}`) !== `ws${i % 3}:k${i}`) wrong.push(`k${i}`);
    expect(wrong).to.deep.equal([]);
    expect(joinedId('ws0', 'k0')).to.equal('ws0:k0');
  });
});
