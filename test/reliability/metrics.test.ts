import { existsSync } from 'node:fs';
import { expect } from 'chai';
import { group, track } from '../support/segmentCalls';
import { startTestService, TestService, WEBHOOK } from '../support/testService';
import { sample } from '../support/prometheusText';

describe('Prometheus metrics at /metrics', () => {
  let service: TestService;
  beforeEach(async () => {
    service = await startTestService();
  });
  afterEach(() => service.close());

  const scrape = async () => {
    const response = await fetch(service.url + '/metrics');
    expect(response.headers.get('content-type')).to.match(/^text\/plain/);
    return response.text();
  };

  it('counts calls by type and outcome, times the acks, and counts dead letters by status', async () => {
    const repeated = track();
    await service.post(WEBHOOK, [group(), repeated, track(), track({ event: undefined }), track({ type: 'made-up' })]);
    await service.post(WEBHOOK, repeated);
    await service.settled();
    const text = await scrape();
    expect(sample(text, 'segment_events_total{type="track",outcome="accepted"}')).to.equal(2);
    expect(sample(text, 'segment_events_total{type="group",outcome="accepted"}')).to.equal(1);
    expect(sample(text, 'segment_events_total{type="track",outcome="duplicate"}')).to.equal(1);
    expect(sample(text, 'segment_events_total{type="track",outcome="rejected"}')).to.equal(1);
    // A type nobody defined is counted, but as "invalid": senders cannot mint metric series.
    expect(sample(text, 'segment_events_total{type="invalid",outcome="rejected"}')).to.equal(1);
    expect(text).not.to.contain('made-up');
    expect(sample(text, 'segment_ack_latency_seconds_count{status="200"}')).to.equal(2);
    expect(sample(text, 'http_requests_total{method="POST",route="/api/integrations/segment/webhook",status="200"}')).to.equal(2);
    expect(sample(text, 'dead_letters{status="open"}')).to.be.at.least(1);
    expect(sample(text, 'dead_letters{status="resolved"}')).to.equal(0);
  });

  it('reports projection lag in events and seconds, zero once projections caught up', async () => {
    await service.post(WEBHOOK, [group(), track()]);
    await service.settled();
    await service.services.reliability.health.probe();
    await service.services.reliability.health.probe();
    const text = await scrape();
    for (const projection of service.services.projections.map((p) => p.projection.name)) {
      expect(sample(text, `projection_lag_events{projection="${projection}"}`), projection).to.equal(0);
      expect(sample(text, `projection_lag_seconds{projection="${projection}"}`), projection).to.be.a('number');
    }
  });

  it('shows the progress of a real replay, complete once it has caught up', async () => {
    await service.post(WEBHOOK, [group(), track(), track()]);
    await service.settled();
    const replays = service.services.signals.replays;
    const { id } = replays.start('default');
    const done = (await replays.finished(id))!;
    expect(done.state).to.equal('completed');
    const text = await scrape();
    expect(sample(text, `replay_processed_events{replay="${id}"}`)).to.equal(done.progress.eventsDone);
    expect(done.progress.eventsDone).to.be.greaterThan(0);
    expect(sample(text, `replay_progress_ratio{replay="${id}"}`)).to.equal(1);
  });

  it('splits the CPU time by thread: the main thread, each writer, the checkpointers and the projector by name', async function () {
    if (!existsSync('/proc/thread-self')) this.skip(); // Linux only
    await service.post(WEBHOOK, [group(), track()]);
    await service.settled();
    const text = await scrape();
    const cpu = (thread: string) => sample(text, `thread_cpu_seconds_total{thread="${thread}"}`);
    expect(cpu('main')).to.be.greaterThan(0); // this test process has run a while on it
    // Named by the threads themselves (a thread that has not used a whole clock tick yet shows 0).
    for (const thread of ['writer:events.db', 'wal-checkpointer:events.db', 'wal-checkpointer:readmodels.db', 'projector']) {
      expect(cpu(thread), thread).to.be.a('number').and.at.least(0);
    }
    // What no thread claims is counted as other, never under a made-up name.
    const roles = [...text.matchAll(/^thread_cpu_seconds_total\{thread="([^"]+)"\}/gm)].map((m) => m[1]!);
    for (const role of roles) expect(role).to.match(/^(main|other|projector|writer:[\w.]+|wal-checkpointer:[\w.]+)$/);
  });
});

describe('/metrics behind a token (METRICS_TOKEN)', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService({ config: { metricsToken: 'mt_scraper' } });
  });
  after(() => service.close());

  it('answers 401 without the token or with another one, and the metrics with it', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer mt_other' }, { authorization: `Bearer ${service.adminToken}` }]) {
      const refused = await fetch(service.url + '/metrics', { headers });
      expect(refused.status).to.equal(401);
      expect(refused.headers.get('www-authenticate')).to.equal('Bearer');
      expect(await refused.text()).not.to.contain('segment_events_total');
    }
    const scraped = await fetch(service.url + '/metrics', { headers: { authorization: 'Bearer mt_scraper' } });
    expect(scraped.status).to.equal(200);
    expect(await scraped.text()).to.contain('segment_ack_latency_seconds');
  });

  it('leaves the probes open for the orchestrator', async () => {
    expect((await fetch(service.url + '/healthz')).status).to.equal(200);
    expect((await fetch(service.url + '/readyz')).status).to.equal(200);
  });
});
