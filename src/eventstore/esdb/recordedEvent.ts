import type { Position, RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import type { JsonObject, RecordedEvent } from '../port';

/** The port's event, plus the full `$all` position needed to resume a subscription exactly after it. */
export interface PositionedEvent {
  readonly event: RecordedEvent;
  readonly logPosition: Position;
}

/**
 * Maps an event read from EventStoreDB. The port's `position` is the commit position: appends through gRPC are
 * implicit transactions, in which every event has its own commit position (equal to its prepare position).
 */
export function toPositionedEvent(recorded: EsdbRecordedEvent): PositionedEvent {
  const logPosition = recorded.position;
  if (logPosition === undefined) {
    throw new Error(`EventStoreDB gave no position for event ${recorded.id}; stream reads need server 22.6 or later`);
  }
  return {
    logPosition,
    event: {
      id: recorded.id,
      type: recorded.type,
      streamName: recorded.streamId,
      revision: recorded.revision,
      position: logPosition.commit,
      data: jsonObject(recorded.isJson ? recorded.data : undefined, 'data', recorded.id),
      metadata: recorded.metadata === undefined ? {} : jsonObject(recorded.metadata, 'metadata', recorded.id),
      created: recorded.created,
    },
  };
}

function jsonObject(value: unknown, what: string, eventId: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw new Error(`event ${eventId}: ${what} is not a JSON object, so it was not written through this port`);
  }
  return value as JsonObject;
}
