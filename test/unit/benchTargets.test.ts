import { expect } from 'chai';
import { checkTargets } from '../../bench/targets';

describe("bench: issue 5's targets checked against a run", () => {
  const rows = [
    { phase: 'do-nothing Koa endpoint (ceiling)', eventsPerSecond: 20000, ratioToCeiling: 1, okShare: 1 },
    { phase: 'single-call ingest, sustained (64 connections) [sqlite]', eventsPerSecond: 11000, ratioToCeiling: 0.55, okShare: 1 },
    { phase: 'single-call ingest, sustained (64 connections), projections off [sqlite]', eventsPerSecond: 1, ratioToCeiling: 0.01, okShare: 1 },
    { phase: 'ack latency at 2,000 events/s [sqlite]', p99Ms: 31, okShare: 1 },
    { phase: 'webhook-to-read-model at 2,000 events/s (via SSE) [sqlite]', p99Ms: 80, okShare: 0.999 },
    { phase: 'batched ingest, 100 calls per request (16 connections) [sqlite]', eventsPerSecond: 12000, okShare: 1 },
  ];

  it('reads each target from its own row, ignoring the projections-off rows, and says which are met', () => {
    const checks = checkTargets(rows);
    const met = Object.fromEntries(checks.map((c) => [c.target, c.met]));
    expect(met['single-call ingest >= 50% of the Koa ceiling']).to.equal(true);
    expect(met['ack p99 < 25 ms at 2,000 events/s']).to.equal(false);
    expect(met['webhook-to-read-model p99 < 100 ms at 2,000 events/s']).to.equal(true);
    expect(met['batches of 100 >= 50,000 events/s']).to.equal(false);
    expect(met['every acknowledged call stored and seen (okShare 1 in every phase)']).to.equal(false);
  });

  it('leaves a target it has no row for unjudged', () => {
    const replay = checkTargets(rows).find((c) => c.target.startsWith('1,000,000-event replay'))!;
    expect(replay).to.deep.equal({ target: '1,000,000-event replay < 60 s', measured: 'not measured', met: null });
  });
});
