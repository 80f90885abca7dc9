import { expect } from 'chai';
import { failIndexBuilds } from '../support/failingIndexBuilds';
import { sample } from '../support/prometheusText';
import { track } from '../support/segmentCalls';
import { readEngines, startTestService, TestService } from '../support/testService';
import { allSignals, json, postAdmin, productStory, ReplayStatusView, send } from '../signals/signalsHelpers';

interface FailedReplayView extends ReplayStatusView {
  workspaceId: string;
  error: string | null;
  finishedAt: string | null;
  indexes: { state: string; attempts: number; error: string | null } | null;
}

for (const readEngine of readEngines()) {
  describe(`Replay whose new version's indexes cannot be built (read models on ${readEngine})`, function () {
    // Without a bound on the build the replay never ends: fail well before the suite's timeout.
    this.timeout(20_000);

    /** Index-build failures by read-model version, for the attribution projection. */
    const failures = new Map<number, Error>();
    let restore: () => void;
    let service: TestService;
    beforeEach(async () => {
      restore = failIndexBuilds((projection, version) => (projection === 'attribution' ? failures.get(version) : undefined));
      service = await startTestService({ readEngine });
      service.services.signals.replays.indexBuildRetry = { maxAttempts: 2, backoffMs: () => 0 };
    });
    afterEach(async () => {
      restore();
      failures.clear();
      await service.close();
    });

    const replay = async () => {
      const started = await json<FailedReplayView>(postAdmin(service, '/api/admin/replay'), 202);
      await service.services.signals.replays.finished(started.id);
      return json<FailedReplayView>(service.get(`/api/admin/replay/${started.id}`));
    };

    it('fails with the error after its attempts, drops the new version, and the live version keeps serving', async () => {
      await send(service, productStory());
      await service.settled();
      const before = await allSignals(service, 'account_456');
      expect(before).to.have.length.greaterThan(0);

      failures.set(2, new Error('database or disk is full'));
      const failed = await replay();
      expect(failed).to.include({ state: 'failed', fromVersion: 1, toVersion: 2 });
      expect(failed.error).to.match(/attribution could not be built \(2 attempts\): database or disk is full/);
      expect(failed.indexes).to.include({ state: 'failed', attempts: 2, error: 'database or disk is full' });
      expect(failed.finishedAt).to.be.a('string');
      const scraped = await (await fetch(service.url + '/metrics')).text();
      expect(sample(scraped, `replay_failed{replay="${failed.id}"}`)).to.equal(1);

      // Reads never left the live version; the failed one is gone (its space may be what the disk lacks).
      expect(service.services.signals.versions.current().version).to.equal(1);
      expect(await allSignals(service, 'account_456')).to.deep.equal(before);
      expect((await service.services.readStore.listCollections()).filter((c) => c.startsWith('v2_'))).to.deep.equal([]);
      // The live version goes on projecting, and the service is not held up by the failed replay.
      await send(service, [track({ event: 'Feature Used', properties: { feature: 'exports' }, context: { groupId: 'account_456' } })]);
      await service.settled();
      expect(await allSignals(service, 'account_456')).to.have.length(before.length + 1);
      expect((await fetch(service.url + '/readyz')).status).to.equal(200);

      // Once the cause is gone, the admin starts it again and it completes.
      failures.clear();
      const again = await replay();
      expect(again).to.include({ state: 'completed', toVersion: 2, error: null });
      expect(again.indexes).to.include({ state: 'built' });
      expect(service.services.signals.versions.current().version).to.equal(2);
      expect(await allSignals(service, 'account_456')).to.have.length(before.length + 1);
      const rescraped = await (await fetch(service.url + '/metrics')).text();
      expect(sample(rescraped, `replay_failed{replay="${again.id}"}`)).to.equal(0);
    });

    it('shows a build that is being retried in the status of the running replay', async () => {
      await send(service, productStory());
      await service.settled();
      failures.set(2, new Error('malformed JSON'));
      // Held after its first failed attempt (a long backoff), the replay is still running, and says why.
      service.services.signals.replays.indexBuildRetry = { maxAttempts: 2, backoffMs: () => 60_000 };
      const started = await json<FailedReplayView>(postAdmin(service, '/api/admin/replay'), 202);
      const replays = service.services.signals.replays;
      let status = replays.status(started.id, started.workspaceId)!;
      while (status.indexes?.state !== 'retrying') {
        expect(status.state).to.equal('running');
        await new Promise((resolve) => setImmediate(resolve));
        status = replays.status(started.id, started.workspaceId)!;
      }
      const shown = await json<FailedReplayView>(service.get(`/api/admin/replay/${started.id}`));
      expect(shown).to.include({ state: 'running', error: null });
      expect(shown.indexes).to.include({ state: 'retrying', attempts: 1, error: 'malformed JSON' });
    });
  });
}
