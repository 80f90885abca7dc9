import { Analytics } from '@segment/analytics-node';
import { expect } from 'chai';
import { readEngines, startTestService, TestService } from '../support/testService';
import { customerActivity, sendSession, SessionSdk, storeDownForFirstRequests } from './sdkSession';

/** Segment's own Node SDK, pointed at our tracking API with its `host` option. */
function segmentSdk(service: TestService) {
  const analytics = new Analytics({ writeKey: service.writeKey, host: service.url, flushAt: 50, maxRetries: 3 });
  const failures: unknown[] = [];
  const statuses: number[] = [];
  analytics.on('error', (error) => failures.push(error));
  analytics.on('http_response', (response) => statuses.push(response.status));
  const sdk: SessionSdk = {
    identify: (call) => analytics.identify(call),
    group: (call) => analytics.group(call),
    track: (call) => analytics.track(call),
    page: (call) => analytics.page(call as Parameters<Analytics['page']>[0]),
  };
  return { sdk, failures, statuses, flush: () => analytics.closeAndFlush({ timeout: 20_000 }) };
}

for (const readEngine of readEngines()) {
  describe(`@segment/analytics-node against the tracking API (read models on ${readEngine})`, function () {
    let service: TestService;
    beforeEach(async () => {
      service = await startTestService({ readEngine });
    });
    afterEach(async () => service.close());

    it("stores two users' sessions and files every call under each user's own account", async () => {
      const { sdk, failures, statuses, flush } = segmentSdk(service);
      const acme = sendSession(sdk, { user: 'jane', account: 'acme', accountName: 'Acme Corp' });
      const globex = sendSession(sdk, { user: 'hank', account: 'globex', accountName: 'Globex' });
      await flush();

      expect(failures).to.deep.equal([]);
      expect(statuses).to.deep.equal([200]); // one batch for the whole session
      expect(await customerActivity(service, 'acme')).to.deep.equal(acme);
      expect(await customerActivity(service, 'globex')).to.deep.equal(globex);
    });

    it('delivers the whole batch after the service answered 503 to the first attempt, storing each call once', async () => {
      const outage = storeDownForFirstRequests(service.services, 1);
      const { sdk, failures, statuses, flush } = segmentSdk(service);
      const expected = sendSession(sdk, { user: 'jane', account: 'acme', accountName: 'Acme Corp' });
      await flush();

      expect(statuses).to.deep.equal([503, 200]);
      expect(outage.attempts()).to.equal(2);
      expect(failures).to.deep.equal([]);
      expect(await customerActivity(service, 'acme')).to.deep.equal(expected);
    });
  });
}
