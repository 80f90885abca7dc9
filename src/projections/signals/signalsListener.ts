import { isMappingsChanged, MAPPINGS_STREAM_PREFIX, SignalMappingsChangedData } from '../../commands/mappings/mappingEvents';
import { DEFAULT_MAPPINGS } from '../../domain/signals/defaultMappings';
import { signalFor } from '../../domain/signals/evaluateMapping';
import type { MappingSet } from '../../domain/signals/mappingRules';
import type { AttributionListener } from '../attribution/attributionProjection';
import type { SegmentEventDoc } from '../attribution/documents';
import { applySignalToHealth } from '../health/applySignal';
import { CUSTOMER_HEALTH, HEALTH_ALERTS } from '../health/documents';
import type { UnitOfWork } from '../unitOfWork';
import { MappingsInForceDoc, SIGNAL_MAPPINGS, SIGNALS, SignalDoc } from './documents';

/**
 * Signals, health and alerts as a read model that follows attribution: every track call, once it has its
 * customer, is mapped by the rules in force for its workspace; a mapped call becomes one signal, which updates
 * the customer's health and may raise alerts, all in the attribution's batch (and in its rebuilds).
 *
 * The rules in force live in the read model itself (`signal_mappings`), so each version maps with its own
 * rules: a live version follows `SignalMappingsChanged` events as they come; a rebuild is seeded with the
 * current rules at the position they were saved, so older changes in the history are skipped and the whole
 * past is read under the new rules.
 */
export function createSignalsListener(): AttributionListener {
  return {
    collections: [
      { name: SIGNALS, indexes: [['workspaceId', 'customerId', 'sortKey'], ['workspaceId', 'customerId', 'signalType', 'sortKey']] },
      { name: SIGNAL_MAPPINGS },
      { name: CUSTOMER_HEALTH, indexes: [['workspaceId', 'score']] },
      { name: HEALTH_ALERTS, indexes: [['feedKey'], ['workspaceId', 'feedKey'], ['workspaceId', 'customerId', 'feedKey']] },
    ],
    streamPrefixes: [MAPPINGS_STREAM_PREFIX],

    async onEvent(event, uow) {
      if (!isMappingsChanged(event)) return;
      const data = event.data as unknown as SignalMappingsChangedData;
      await uow.update<MappingsInForceDoc>(SIGNAL_MAPPINGS, data.workspaceId, Number(event.position), () => ({
        _id: data.workspaceId,
        workspaceId: data.workspaceId,
        version: data.version,
        rules: JSON.stringify(data.rules),
      }));
    },

    async onAttributed(row, customerId, uow, position, call) {
      if (row.callType !== 'track' || !row.name) return;
      const mapped = signalFor(row.name, call.properties as Record<string, unknown> | undefined, await mappingsInForce(uow, row.workspaceId));
      if (!mapped) return;
      const signal = signalDocOf(row, customerId, mapped, position);
      // Put, not update: the id and content are fixed by the event, so writing it again changes nothing.
      uow.put(SIGNALS, signal);
      await applySignalToHealth(uow, signal, position);
    },
  };
}

/** Parsed rules per document: the unit of work hands out the same document for a whole batch. */
const parsedRules = new WeakMap<MappingsInForceDoc, MappingSet>();

async function mappingsInForce(uow: UnitOfWork, workspaceId: string): Promise<MappingSet> {
  const doc = await uow.get<MappingsInForceDoc>(SIGNAL_MAPPINGS, workspaceId);
  if (!doc) return DEFAULT_MAPPINGS;
  let set = parsedRules.get(doc);
  if (!set) parsedRules.set(doc, (set = { version: doc.version, rules: JSON.parse(doc.rules) as MappingSet['rules'] }));
  return set;
}

function signalDocOf(
  row: SegmentEventDoc,
  customerId: string,
  mapped: NonNullable<ReturnType<typeof signalFor>>,
  position: number,
): SignalDoc {
  return {
    _id: row._id,
    _pos: position,
    workspaceId: row.workspaceId,
    customerId,
    eventId: row._id,
    messageId: row.messageId,
    eventName: row.name!,
    signalType: mapped.signalType,
    weight: mapped.weight,
    ruleId: mapped.ruleId,
    mappingVersion: mapped.mappingVersion,
    identityKey: row.identityKeys[0] ?? null,
    timestamp: row.timestamp,
    sortKey: row.sortKey,
    properties: JSON.stringify(mapped.properties),
  };
}
