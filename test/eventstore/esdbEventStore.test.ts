import { openEsdbEventStore } from '../../src/eventstore/esdb';
import { eventStoreContract } from '../contracts/eventStore.contract';

// Runs against a real server only when one is configured, e.g. EVENTSTORE_CONNECTION_STRING=esdb://localhost:2113?tls=false
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  eventStoreContract('EventStoreDB', async () => ({
    store: await openEsdbEventStore(connectionString),
    // A new client on the same server: claims must live on the server, not in the client.
    reopen: () => openEsdbEventStore(connectionString),
    cleanup: async () => undefined,
  }));
} else {
  describe('EventStore contract: EventStoreDB', function () {
    it('…skipped: EVENTSTORE_CONNECTION_STRING not set');
  });
}
