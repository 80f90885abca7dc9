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

  it("builds only what can be seen: a watched workspace's items all, the others' newest that the feed keeps", () => {
    const feed = new LiveFeed(2);
    feed.subscribe('watched', () => undefined);
    const items = ['a1', 'w1', 'a2', 'w2', 'a3', 'b1', 'w3', 'a4'].map((id) => ({ id, workspace: id.startsWith('w') ? 'watched' : id[0]! }));
    const kept = feed.visible(items, (item) => item.workspace).map((item) => item.id);
    expect(kept).to.deep.equal(['w1', 'w2', 'a3', 'b1', 'w3', 'a4']);
    // What a monitor opening later sees is the same as if every item had been published.
    const all = new LiveFeed(2);
    for (const item of items) all.publish([draft(item.workspace, item.id)]);
    feed.publish(feed.visible(items, (item) => item.workspace).map((item) => draft(item.workspace, item.id)));
    for (const workspace of ['a', 'b', 'watched']) {
      expect(feed.recent(workspace).map((e) => e.messageId), workspace).to.deep.equal(all.recent(workspace).map((e) => e.messageId));
    }
  });
});
