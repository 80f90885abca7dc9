/** What the targets read from a bench row (see run.ts). */
export interface MeasuredRow {
  readonly phase: string;
  readonly eventsPerSecond?: number | null;
  readonly ratioToCeiling?: number | null;
  readonly p99Ms?: number | null;
  readonly okShare?: number | null;
  readonly seconds?: number | null;
}

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | null;
}

/**
 * Issue 5's targets for the embedded default, checked against the rows of one run (null: the run did not measure
 * it, e.g. BENCH_ONLY). Ratios come from the same run's Koa ceiling, so they compare across machines.
 */
export function checkTargets(rows: readonly MeasuredRow[]): TargetCheck[] {
  const sqlite = rows.filter((row) => row.phase.includes('[sqlite]'));
  const find = (start: string) => sqlite.find((row) => row.phase.startsWith(start) && !row.phase.includes('projections off'));
  const check = (target: string, row: MeasuredRow | undefined, value: (row: MeasuredRow) => number | null | undefined, met: (v: number) => boolean, unit: string) => {
    const v = row ? value(row) : undefined;
    return typeof v === 'number' && Number.isFinite(v)
      ? { target, measured: `${v.toLocaleString('en')}${unit}`, met: met(v) }
      : { target, measured: 'not measured', met: null };
  };
  return [
    check('single-call ingest >= 50% of the Koa ceiling', find('single-call ingest'), (r) => r.ratioToCeiling, (v) => v >= 0.5, ' of the ceiling'),
    check('ack p99 < 25 ms at 2,000 events/s', find('ack latency at 2,000'), (r) => r.p99Ms, (v) => v < 25, ' ms'),
    check('webhook-to-read-model p99 < 100 ms at 2,000 events/s', find('webhook-to-read-model at 2,000'), (r) => r.p99Ms, (v) => v < 100, ' ms'),
    check('batches of 100 >= 50,000 events/s', find('batched ingest'), (r) => r.eventsPerSecond, (v) => v >= 50_000, ' events/s'),
    check('1,000,000-event replay < 60 s', sqlite.find((row) => row.phase.startsWith('replay')), (r) => r.seconds, (v) => v < 60, ' s'),
    {
      target: 'every acknowledged call stored and seen (okShare 1 in every phase)',
      measured: rows.every((row) => row.okShare === undefined || row.okShare === null || row.okShare === 1) ? 'okShare 1 everywhere' : 'okShare below 1 somewhere',
      met: rows.every((row) => row.okShare === undefined || row.okShare === null || row.okShare === 1),
    },
  ];
}
