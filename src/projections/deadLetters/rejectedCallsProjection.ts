import { SEGMENT_CALL_REJECTED, SegmentCallRejectedData } from '../../domain/events';
import { REJECTED_CATEGORY } from '../../domain/streams';
import type { Projection } from '../projection';
import { DEAD_LETTERS, DeadLetterDoc } from './deadLetter';

/** Turns the calls rejected at the door into dead letters an admin can list, with the errors per field. */
export const rejectedCallsProjection: Projection = {
  name: 'rejected-calls',
  streamPrefixes: [`${REJECTED_CATEGORY}-`],
  collections: [{ name: DEAD_LETTERS, indexes: [['workspaceId', 'failedAt']] }],
  async handle(event, uow) {
    if (event.type !== SEGMENT_CALL_REJECTED) return;
    // A letter already there may have been retried since: re-delivery must not reopen it.
    if (await uow.get(DEAD_LETTERS, `rejected:${event.id}`)) return;
    const data = event.data as unknown as SegmentCallRejectedData;
    const letter: DeadLetterDoc = {
      _id: `rejected:${event.id}`,
      kind: 'rejected-call',
      workspaceId: String(event.metadata.workspaceId),
      failedAt: data.receivedAt,
      messageId: data.messageId,
      errors: data.errors,
      eventId: event.id,
      streamName: event.streamName,
      position: Number(event.position),
      payload: data.rawCall,
      status: 'open',
    };
    uow.put(DEAD_LETTERS, letter);
  },
};
