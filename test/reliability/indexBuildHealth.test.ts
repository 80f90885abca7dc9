import { expect } from 'chai';
import { failIndexBuilds } from '../support/failingIndexBuilds';
import { sample } from '../support/prometheusText';
import { group, track } from '../support/segmentCalls';
import { readEngines, startTestService, TestService, WEBHOOK } from '../support/testService';

interface ProbeBody {
  status: string;
  reasons: string[];
  projections: { name: string; indexes: string; running: boolean }[];
}

for (const readEngine of readEngines()) {
  describe(`Live read models whose index build keeps failing (read models on ${readEngine})`, function () {
    // Without a bound, settled() waits for the build for ever: fail well before the suite's timeout.
    this.timeout(20_000);

    let restore: () => void;
    let service: TestService;
    beforeEach(async () => {
      // Every live read model on the projector thread (version 1) cannot build its indexes: a corrupt file, say.
      restore = failIndexBuilds((_projection, version) => (version === 1 ? new Error('database disk image is malformed') : undefined));
      service = await startTestService({ readEngine });
    });
    afterEach(async () => {
      restore();
      await service.close();
    });

    it('settles, serves reads unindexed, takes calls, and reports degraded health with the reason while staying ready', async () => {
      expect(service.services.projector, 'indexes are deferred only with the projector thread').to.not.equal(undefined);
      expect((await service.post(WEBHOOK, [group(), track({ context: { groupId: 'account_456' } })])).status).to.equal(200);
      await service.settled();
      const events = (await (await service.get('/api/segment/events/account_456')).json()) as { events: unknown[] };
      expect(events.events).to.have.length(2);

      await service.services.reliability.health.probe();
      const ready = await fetch(service.url + '/readyz');
      const readyBody = (await ready.json()) as ProbeBody;
      expect(ready.status, 'a failing index build does not stop ingestion').to.equal(200);
      expect(readyBody.status).to.equal('ready');
      const attribution = readyBody.projections.find((p) => p.name === 'attribution')!;
      expect(attribution).to.include({ indexes: 'retrying', running: true });
      expect(readyBody.reasons.find((r) => r.startsWith('projection attribution:'))).to.match(
        /secondary indexes not built after 1 failed attempt\(s\) since .* \(reads served unindexed, retrying with backoff\): database disk image is malformed$/,
      );
      const healthz = (await (await fetch(service.url + '/healthz')).json()) as ProbeBody;
      expect(healthz.status).to.equal('degraded');
      const scraped = await (await fetch(service.url + '/metrics')).text();
      expect(sample(scraped, 'projection_index_build_failing{projection="attribution"}')).to.equal(1);

      expect((await service.post(WEBHOOK, track({ context: { groupId: 'account_456' } }))).status).to.equal(200);
      await service.settled();
      const more = (await (await service.get('/api/segment/events/account_456')).json()) as { events: unknown[] };
      expect(more.events).to.have.length(3);
    });
  });
}
