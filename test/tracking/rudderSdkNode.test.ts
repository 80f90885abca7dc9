import Analytics from '@rudderstack/rudder-sdk-node';
import { expect } from 'chai';
import { readEngines, startTestService, TestService } from '../support/testService';
import { customerActivity, sendSession, SessionSdk, storeDownForFirstRequests } from './sdkSession';

/**
 * RudderStack's Node SDK, pointed at our tracking API with its `dataPlaneUrl` (gzipped batches, write key as the
 * Basic user). Its retry decision is its own; only the delay is shortened, because it honours our
 * `Retry-After: 5` and the suite must stay fast.
 */
function rudderSdk(service: TestService) {
  const client = new Analytics(service.writeKey, {
    dataPlaneUrl: service.url,
    flushAt: 50,
    flushInterval: 60_000,
    logLevel: 'none',
    axiosRetryConfig: { retryDelay: () => 20 },
  });
  const sdk: SessionSdk = {
    identify: (call) => client.identify(call as Parameters<Analytics['identify']>[0]),
    group: (call) => client.group(call as Parameters<Analytics['group']>[0]),
    track: (call) => client.track(call as Parameters<Analytics['track']>[0]),
    page: (call) => client.page(call as Parameters<Analytics['page']>[0]),
  };
  return { sdk, flush: () => client.flush() };
}

for (const readEngine of readEngines()) {
  describe(`@rudderstack/rudder-sdk-node against the tracking API (read models on ${readEngine})`, function () {
    let service: TestService;
    beforeEach(async () => {
      service = await startTestService({ readEngine });
    });
    afterEach(async () => service.close());

    it("stores two users' sessions and files every call under each user's own account", async () => {
      const { sdk, flush } = rudderSdk(service);
      const acme = sendSession(sdk, { user: 'jane', account: 'acme', accountName: 'Acme Corp' });
      const globex = sendSession(sdk, { user: 'hank', account: 'globex', accountName: 'Globex' });
      await flush();

      expect(await customerActivity(service, 'acme')).to.deep.equal(acme);
      expect(await customerActivity(service, 'globex')).to.deep.equal(globex);
    });

    it('retries the batch the service answered 503 and stores each call once', async () => {
      const outage = storeDownForFirstRequests(service.services, 1);
      const { sdk, flush } = rudderSdk(service);
      const expected = sendSession(sdk, { user: 'jane', account: 'acme', accountName: 'Acme Corp' });
      await flush(); // rejects if the SDK gave up

      // The SDK sends the first call alone at once, then the rest: one refused attempt, two delivered batches.
      expect(outage.attempts()).to.equal(3);
      expect(await customerActivity(service, 'acme')).to.deep.equal(expected);
    });
  });
}
