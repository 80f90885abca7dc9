import { EventStore, EventStoreUnavailableError } from '../../src/eventstore/port';

/** An event store that can be taken down and brought back, as a network partition would. */
export function flakyEventStore(inner: EventStore): { store: EventStore; down: () => void; up: () => void } {
  let available = true;
  const guard = <T>(call: () => Promise<T>): Promise<T> =>
    available ? call() : Promise.reject(new EventStoreUnavailableError('event store unreachable (test partition)'));
  const store: EventStore = {
    appendToStreams: (appends) => guard(() => inner.appendToStreams(appends)),
    readStream: (name, options) => guard(() => inner.readStream(name, options)),
    readAll: (options) => guard(() => inner.readAll(options)),
    headPosition: () => guard(() => inner.headPosition()),
    subscribeToAll: (options, handler) => inner.subscribeToAll(options, handler),
    close: () => inner.close(),
  };
  return { store, down: () => (available = false), up: () => (available = true) };
}
