/** The EventStoreDB adapter's pure parts, which run without a server. */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import {
  type RecordedEvent as EsdbRecordedEvent,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, type NewEvent, WrongExpectedRevisionError } from '../../src/eventstore/port';
import { comparePositions } from '../../src/eventstore/esdb/allReads';
import { chunkForAppend, estimatedSize } from '../../src/eventstore/esdb/appendChunks';
import { claimEventId } from '../../src/eventstore/esdb/claimEventId';
import { meetsExpectation, sortOutDuplicates } from '../../src/eventstore/esdb/duplicates';
import { toPortError } from '../../src/eventstore/esdb/errors';
import { toPositionedEvent } from '../../src/eventstore/esdb/recordedEvent';
import { isWantedStream, SHOWN_STREAMS_REGEX } from '../../src/eventstore/esdb/streamNames';

const newEvent = (text = ''): NewEvent => ({ id: randomUUID(), type: 'Tested', data: { text }, metadata: {} });

describe('EventStoreDB adapter parts', function () {
  describe('chunkForAppend', function () {
    it('keeps every event, in order, in chunks within the budget (an oversized event goes alone)', function () {
      fc.assert(
        fc.property(fc.array(fc.string({ maxLength: 300 }), { maxLength: 40 }), fc.integer({ min: 200, max: 2000 }), (texts, budget) => {
          const events = texts.map((text) => newEvent(text));
          const chunks = chunkForAppend(events, budget);
          expect(chunks.flat()).to.deep.equal(events);
          for (const chunk of chunks) {
            const bytes = chunk.reduce((sum, event) => sum + estimatedSize(event), 0);
            if (chunk.length > 1) expect(bytes).to.be.at.most(budget);
          }
        }),
      );
    });

    it('gives one empty chunk for no events, so the expected revision is still checked', function () {
      expect(chunkForAppend([])).to.deep.equal([[]]);
    });

    it('splits a batch of large events into appends under 1 MiB', function () {
      const events = Array.from({ length: 5 }, () => newEvent('x'.repeat(300 * 1024)));
      const chunks = chunkForAppend(events);
      expect(chunks.map((chunk) => chunk.length)).to.deep.equal([2, 2, 1]);
    });
  });

  describe('claimEventId', function () {
    it('is a deterministic version-5 UUID that differs from the event id', function () {
      const eventId = randomUUID();
      const claimId = claimEventId(eventId);
      expect(claimId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(claimEventId(eventId)).to.equal(claimId);
      expect(claimEventId(eventId.toUpperCase())).to.equal(claimId);
      expect(claimId).not.to.equal(eventId);
      expect(claimEventId(randomUUID())).not.to.equal(claimId);
    });
  });

  describe('sortOutDuplicates', function () {
    it('keeps new events in order and reports claimed, stored and repeated ids once', function () {
      const [claimed, inTail, fresh, other] = [newEvent(), newEvent(), newEvent(), newEvent()];
      const sorted = sortOutDuplicates(
        [fresh, claimed, inTail, fresh, other, claimed],
        new Set([claimed.id]),
        new Set([inTail.id]),
      );
      expect(sorted.fresh).to.deep.equal([fresh, other]);
      expect(sorted.duplicates).to.deep.equal([claimed.id, inTail.id, fresh.id]);
      expect(sorted.unclaimed).to.deep.equal([inTail.id]);
    });
  });

  describe('meetsExpectation', function () {
    it('follows EventStoreDB: any, no_stream, stream_exists and exact revisions', function () {
      const cases: Array<[Parameters<typeof meetsExpectation>[0], bigint, boolean]> = [
        ['any', -1n, true],
        ['any', 4n, true],
        ['no_stream', -1n, true],
        ['no_stream', 0n, false],
        ['stream_exists', -1n, false],
        ['stream_exists', 0n, true],
        [3n, 3n, true],
        [3n, 2n, false],
      ];
      for (const [expected, last, meets] of cases) expect(meetsExpectation(expected, last), `${expected} at ${last}`).to.equal(meets);
    });
  });

  describe('stream visibility', function () {
    it('hides system and claim streams, and filters by name prefix', function () {
      expect(isWantedStream('customer-1', undefined)).to.equal(true);
      expect(isWantedStream('$ce-customer', undefined)).to.equal(false);
      expect(isWantedStream('msgid-123', undefined)).to.equal(false);
      expect(isWantedStream('msgid-123', ['msgid-'])).to.equal(false);
      expect(isWantedStream('customer-1', ['identity-', 'customer-'])).to.equal(true);
      expect(isWantedStream('customers-1', ['customer-'])).to.equal(false);
    });

    it('sends the server a regex that shows exactly the streams shown here', function () {
      const shown = new RegExp(SHOWN_STREAMS_REGEX);
      const names = fc.oneof(fc.string(), fc.constantFrom('$', 'msgid-', 'msgid', 'customer-').chain((start) => fc.string().map((rest) => start + rest)));
      fc.assert(fc.property(names, (name) => shown.test(name) === isWantedStream(name, undefined)));
    });
  });

  describe('error mapping', function () {
    it('maps wrong expected versions and unavailability to the port errors', function () {
      const wrong = toPortError(new WrongExpectedVersionError(undefined, { streamName: 's', expected: 'no_stream', current: 3n }));
      const down = new UnavailableError(undefined, 'connection refused');
      const other = new Error('other');

      expect(wrong).to.be.instanceOf(WrongExpectedRevisionError);
      expect(wrong).to.include({ streamName: 's', expectedRevision: 'no_stream', actualRevision: 3n });
      expect(toPortError(down)).to.be.instanceOf(EventStoreUnavailableError).and.to.include({ cause: down });
      expect(toPortError(new Error('Failed to discover after 10 attempts.'))).to.be.instanceOf(EventStoreUnavailableError);
      expect(toPortError(other)).to.equal(other);
    });
  });

  describe('recorded events and positions', function () {
    const recorded = (overrides: Partial<Record<string, unknown>> = {}) =>
      ({
        streamId: 'customer-1',
        id: randomUUID(),
        isJson: true,
        revision: 4n,
        type: 'Tested',
        created: new Date(0),
        data: { a: 1 },
        metadata: undefined,
        position: { commit: 90n, prepare: 90n },
        ...overrides,
      }) as unknown as EsdbRecordedEvent;

    it('maps the commit position and keeps the full position for resuming', function () {
      const source = recorded();
      const { event, logPosition } = toPositionedEvent(source);
      expect(event).to.deep.equal({
        id: source.id,
        type: 'Tested',
        streamName: 'customer-1',
        revision: 4n,
        position: 90n,
        data: { a: 1 },
        metadata: {},
        created: new Date(0),
      });
      expect(logPosition).to.deep.equal({ commit: 90n, prepare: 90n });
    });

    it('refuses events without a position or with data that is not a JSON object', function () {
      expect(() => toPositionedEvent(recorded({ position: undefined }))).to.throw(/no position/);
      expect(() => toPositionedEvent(recorded({ isJson: false, data: new Uint8Array([1]) }))).to.throw(/not a JSON object/);
      expect(() => toPositionedEvent(recorded({ data: [1, 2] }))).to.throw(/not a JSON object/);
    });

    it('orders positions by commit, then prepare', function () {
      expect(comparePositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 0n })).to.equal(-1);
      expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 0n })).to.equal(1);
      expect(comparePositions({ commit: 2n, prepare: 2n }, { commit: 2n, prepare: 2n })).to.equal(0);
    });
  });
});
