import type { IndexBuildStatus } from '../projections/deferredIndexBuild';

/** What the lag monitor needs of a projection runner. */
export interface LagSubject {
  readonly projection: { readonly name: string };
  /** Resolves once everything stored before the call has been projected. */
  caughtUp(): Promise<void>;
  /** Its deferred secondary-index build, when it has one (see DeferredIndexBuild). */
  indexBuild?(): IndexBuildStatus | undefined;
}

export interface ProjectionLag {
  readonly projection: string;
  /** Events stored since the newest head the projection is known to have reached (an upper bound). */
  readonly events: number;
  /** How long the oldest unanswered probe has waited: the age of the oldest event not yet projected, roughly. */
  readonly seconds: number;
  readonly failed: boolean;
  /** Its deferred index build; undefined when its indexes were created at start. */
  readonly indexes?: IndexBuildStatus;
}

interface Probe {
  readonly head: number;
  readonly startedMs: number;
}

/**
 * Measures how far each projection trails the log without knowing its stream filters: at each sample it notes
 * the head position and asks the projection to tell when it has caught up with it. A projection is then known
 * to be through the last head it answered for; while a probe is unanswered, its age is the lag in seconds.
 * Sampling is one cheap head read per tick, whatever the load.
 */
export class ProjectionLagMonitor {
  private readonly state = new Map<string, { through: number; probe?: Probe; failed: boolean }>();
  private head = 0;

  constructor(
    private readonly subjects: readonly LagSubject[],
    private readonly headPosition: () => Promise<bigint>,
    private readonly now: () => number = Date.now,
  ) {
    for (const subject of subjects) this.state.set(subject.projection.name, { through: 0, failed: false });
  }

  /** Takes one sample; resolves after reading the head (not after the projections catch up). */
  async sample(): Promise<void> {
    this.head = Number(await this.headPosition());
    for (const subject of this.subjects) {
      const state = this.state.get(subject.projection.name)!;
      if (state.probe) continue;
      const probe: Probe = { head: this.head, startedMs: this.now() };
      state.probe = probe;
      subject.caughtUp().then(
        () => {
          state.through = Math.max(state.through, probe.head);
          state.failed = false;
          if (state.probe === probe) state.probe = undefined;
        },
        () => {
          state.failed = true;
          if (state.probe === probe) state.probe = undefined;
        },
      );
    }
  }

  lags(): ProjectionLag[] {
    const now = this.now();
    return this.subjects.map((subject) => {
      const { projection } = subject;
      const state = this.state.get(projection.name)!;
      return {
        projection: projection.name,
        events: Math.max(0, this.head - state.through),
        seconds: state.probe ? (now - state.probe.startedMs) / 1000 : 0,
        failed: state.failed,
        indexes: subject.indexBuild?.(),
      };
    });
  }
}
