import { expect } from 'chai';
import { CHAT_EXAMPLES, parseIntent } from '../../../src/domain/chat/intents';

describe('chat: reading what a person asks', () => {
  it('reads "Show Segment events for [account]" with the account as typed', () => {
    expect(parseIntent('Show Segment events for Acme Corp')).to.deep.equal({ kind: 'show-events', account: 'Acme Corp' });
    expect(parseIntent('show segment events for acme.com?')).to.deep.equal({ kind: 'show-events', account: 'acme.com' });
    expect(parseIntent('events for the account "Globex"')).to.deep.equal({ kind: 'show-events', account: 'Globex' });
  });

  it('forgives typos in the keywords', () => {
    expect(parseIntent('shw segmnt evnts for Initech')).to.deep.equal({ kind: 'show-events', account: 'Initech' });
    expect(parseIntent('Show helth for Initech')).to.deep.equal({ kind: 'show-health', account: 'Initech' });
    expect(parseIntent('Configure Segment mappnig')).to.deep.equal({ kind: 'configure-mapping' });
    expect(parseIntent('replya status')).to.deep.equal({ kind: 'replay-status' });
  });

  it('reads health requests in several phrasings', () => {
    expect(parseIntent('Show health for Bank of America')).to.deep.equal({ kind: 'show-health', account: 'Bank of America' });
    expect(parseIntent('How healthy is Umbrella?')).to.deep.equal({ kind: 'show-health', account: 'Umbrella' });
    expect(parseIntent('health score of acme.io')).to.deep.equal({ kind: 'show-health', account: 'acme.io' });
  });

  it('asks for the account when none is named', () => {
    expect(parseIntent('Show Segment events')).to.deep.equal({ kind: 'show-events', account: null });
    expect(parseIntent('show health')).to.deep.equal({ kind: 'show-health', account: null });
  });

  it('reads mapping and replay requests', () => {
    expect(parseIntent('Configure Segment mapping').kind).to.equal('configure-mapping');
    expect(parseIntent('where do I edit the mappings?').kind).to.equal('configure-mapping');
    expect(parseIntent('Replay status').kind).to.equal('replay-status');
    expect(parseIntent('is the replay done yet').kind).to.equal('replay-status');
  });

  it('answers help and unknown requests differently', () => {
    expect(parseIntent('help').kind).to.equal('help');
    expect(parseIntent('what can you do?').kind).to.equal('help');
    expect(parseIntent('order me a pizza').kind).to.equal('unknown');
    expect(parseIntent('   ').kind).to.equal('unknown');
  });

  it('understands every example it offers', () => {
    for (const example of CHAT_EXAMPLES) expect(parseIntent(example).kind, example).to.not.be.oneOf(['unknown', 'help']);
  });
});
