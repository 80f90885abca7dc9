import { expect } from 'chai';
import { draftOf, LiveEventDraft } from '../../src/live/liveEvent';
import { LiveFeed } from '../../src/live/liveFeed';

const draft = (workspaceId: string, messageId: string): LiveEventDraft => draftOf(workspaceId, 'stored', null, { messageId });

describe('LiveFeed', () => {
  it("keeps each workspace's latest events, oldest first, however many came before", () => {
    const feed = new LiveFeed(3);
    for (let i = 1; i <= 10; i++) feed.publish([draft('a', `m${i}`)]);
    feed.publish([draft('b', 'other')]);
    expect(feed.recent('a').map((e) => e.messageId)).to.deep.equal(['m8', 'm9', 'm10']);
    const lastSeen = feed.recent('a')[1]!.seq;
    expect(feed.recent('a', lastSeen).map((e) => e.messageId)).to.deep.equal(['m10']);
    expect(feed.recent('b').map((e) => e.messageId)).to.deep.equal(['other']);
  });

  it('hands events to the listeners of their workspace only, and a broken listener stops nobody', () => {
    const feed = new LiveFeed();
    const heard: string[] = [];
    feed.subscribe('a', () => {
      throw new Error('closed connection');
    });
    const unsubscribe = feed.subscribe('a', (e) => heard.push(e.messageId!));
    feed.publish([draft('a', 'one'), draft('b', 'elsewhere')]);
    unsubscribe();
    feed.publish([draft('a', 'two')]);
    expect(heard).to.deep.equal(['one']);
  });
});
