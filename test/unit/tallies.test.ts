import { expect } from 'chai';
import { ServiceMetrics } from '../../src/observability/metrics';
import { sample } from '../support/prometheusText';

describe('Per-request metrics (counters and histograms kept as plain numbers)', () => {
  it('renders cumulative buckets, +Inf, sum and count per series, and counters per label set, like prom-client', async () => {
    const metrics = new ServiceMetrics({ projectionLag: () => [], deadLetters: async () => [] }, { defaultMetrics: false });
    for (const seconds of [0.0004, 0.003, 0.003, 7]) metrics.webhookAnswered(200, seconds);
    metrics.webhookAnswered(503, 4.5);
    metrics.httpRequest('POST', '/v1/batch', 200, 0.002);
    metrics.httpRequest('POST', '/v1/batch', 200, 0.002);
    metrics.httpRequest('GET', '/v1/batch', 405, 0.001);
    metrics.callsSeen('track', 'accepted', 3);
    metrics.callsSeen('track', 'accepted');
    metrics.callsSeen('identify', 'rejected', 0);
    const text = await metrics.render();

    const ack = (le: string) => sample(text, `segment_ack_latency_seconds_bucket{status="200",le="${le}"}`);
    expect([ack('0.0005'), ack('0.001'), ack('0.0025'), ack('0.005'), ack('5'), ack('+Inf')]).to.deep.equal([1, 1, 1, 3, 3, 4]);
    expect(sample(text, 'segment_ack_latency_seconds_sum{status="200"}')).to.be.closeTo(7.0064, 1e-9);
    expect(sample(text, 'segment_ack_latency_seconds_count{status="200"}')).to.equal(4);
    expect(sample(text, 'segment_ack_latency_seconds_bucket{status="503",le="5"}')).to.equal(1);
    expect(sample(text, 'http_requests_total{method="POST",route="/v1/batch",status="200"}')).to.equal(2);
    expect(sample(text, 'http_requests_total{method="GET",route="/v1/batch",status="405"}')).to.equal(1);
    expect(sample(text, 'http_request_duration_seconds_count{route="/v1/batch"}')).to.equal(3);
    expect(sample(text, 'segment_events_total{type="track",outcome="accepted"}')).to.equal(4);
    expect(text).not.to.contain('type="identify"');
    expect(text.match(/^# TYPE segment_ack_latency_seconds histogram$/m)).to.not.equal(null);

    metrics.registry.resetMetrics();
    expect(sample(await metrics.render(), 'segment_ack_latency_seconds_count{status="200"}')).to.equal(0);
  });
});
