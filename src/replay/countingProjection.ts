import type { Projection } from '../projections/projection';

/** The projection, counting each event once (a retried batch is not counted again): progress figures. */
export function countingProjection(projection: Projection): { projection: Projection; counted: () => number; lastPosition: () => number } {
  let counted = 0;
  let lastPosition = 0;
  return {
    projection: {
      ...projection,
      async handle(event, uow) {
        await projection.handle(event, uow);
        const position = Number(event.position);
        if (position > lastPosition) {
          lastPosition = position;
          counted += 1;
        }
      },
    },
    counted: () => counted,
    lastPosition: () => lastPosition,
  };
}
