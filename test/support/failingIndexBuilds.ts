import { ProjectorThread } from '../../src/projector/projectorThread';

/**
 * Makes the projector thread's index builds fail with `failureOf(projection, version)` (undefined: build for
 * real), for services started while it is in force: what a full disk or a corrupt read-model file does to
 * CREATE INDEX. Batches are applied as usual. Returns the function that restores the real applier.
 */
export function failIndexBuilds(failureOf: (projection: string, version: number) => Error | undefined): () => void {
  const original = ProjectorThread.prototype.applier;
  ProjectorThread.prototype.applier = function (this: ProjectorThread, projection, version) {
    const real = original.call(this, projection, version);
    return {
      apply: real.apply,
      buildIndexes: () => {
        const failure = failureOf(projection.name, version);
        return failure ? Promise.reject(failure) : real.buildIndexes();
      },
    };
  };
  return () => {
    ProjectorThread.prototype.applier = original;
  };
}
