import { expect } from 'chai';
import { idsMemoHolds } from '../../src/domain/ids';
import { WORKSPACES } from '../../src/workspaces/workspace';
import { readEngines, startTestService, TestService, WEBHOOK } from '../support/testService';

const basic = (key: string) => 'Basic ' + Buffer.from(`${key}:`).toString('base64');
const identify = (messageId: string) => ({ type: 'identify', userId: 'ann', messageId, traits: { email: 'ann@globex.example', name: 'Ann' }, context: { ip: '203.0.113.9' } });

for (const readEngine of readEngines()) {
  describe(`A workspace removed from the store (read models on ${readEngine})`, function () {
    let service: TestService;
    before(async () => {
      service = await startTestService({ readEngine });
    });
    after(async () => service.close());

    it('takes its caches with it, on the service thread and on the projector thread, at the next reload', async () => {
      const { services } = service;
      const globex = await services.workspaces.create({ id: 'globex', name: 'Globex' });
      const sent = await service.post(WEBHOOK, identify('g-1'), { authorization: basic(globex.writeKeys[0]!.key) });
      expect(sent.status).to.equal(200);
      await service.settled();
      expect(idsMemoHolds('globex')).to.equal(true);
      expect(services.live.feed.recent('globex')).to.not.be.empty;

      // The key caches are not observable from outside: what each side is told is.
      const told: string[] = [];
      const cipherForget = services.cipher.forgetWorkspace.bind(services.cipher);
      services.cipher.forgetWorkspace = (id) => (told.push(`cipher ${id}`), cipherForget(id));
      const projector = services.projector;
      if (projector) {
        const threadForget = projector.forgetWorkspace.bind(projector);
        projector.forgetWorkspace = (id) => (told.push(`thread ${id}`), threadForget(id));
      }

      await (await services.readStore.collection(WORKSPACES)).delete('globex');
      await services.workspaces.reload();
      expect(told).to.deep.equal(projector ? ['cipher globex', 'thread globex'] : ['cipher globex']);
      expect(idsMemoHolds('globex')).to.equal(false);
      expect(services.live.feed.recent('globex')).to.deep.equal([]);
      const refused = await service.post(WEBHOOK, identify('g-2'), { authorization: basic(globex.writeKeys[0]!.key) });
      expect(refused.status).to.equal(401);

      // The projector thread took the message in its stride: the remaining workspace is projected as before.
      expect((await service.post(WEBHOOK, identify('d-1'))).status).to.equal(200);
      await service.settled();
      expect(services.live.feed.recent('default').some((e) => e.messageId === 'd-1' && e.stage === 'projected')).to.equal(true);
    });
  });
}
