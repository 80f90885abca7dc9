import { randomBytes, randomUUID } from 'node:crypto';
import { uuidV5 } from '../../domain/ids';
import {
  CUSTOMER_REGISTERED,
  CustomerRegisteredData,
  SEGMENT_GROUP_LINKED,
  SegmentGroupLinkedData,
} from '../../domain/identity/customerEvents';
import { customerStream } from '../../domain/streams';
import { EventStore, WrongExpectedRevisionError } from '../../eventstore/port';

/** What the commands check against the read models before they decide (eventually consistent; see below). */
export interface CustomerFacts {
  customerExists(workspaceId: string, customerId: string): Promise<boolean>;
  /** The customer a Segment group is linked to, if any. */
  ownerOfGroup(workspaceId: string, groupId: string): Promise<string | null>;
  /** The customer that claims a domain, if any. */
  ownerOfDomain(workspaceId: string, domain: string): Promise<string | null>;
}

export class CustomerConflictError extends Error {
  constructor(message: string, readonly path: string, readonly customerId: string) {
    super(message);
    this.name = 'CustomerConflictError';
  }
}

export class CustomerNotFoundError extends Error {
  constructor(readonly customerId: string) {
    super(`no customer ${customerId}`);
    this.name = 'CustomerNotFoundError';
  }
}

export interface RegisterCustomer {
  readonly workspaceId: string;
  readonly id?: string;
  readonly name: string;
  /** Already normalised (see domain/identity/domains). */
  readonly domains: readonly string[];
  readonly groupIds: readonly string[];
  readonly externalIds: Readonly<Record<string, string>>;
  readonly correlationId: string;
  readonly now?: Date;
}

const newCustomerId = () => `cus_${randomBytes(10).toString('hex')}`;

/**
 * Registers a CSCX customer: `CustomerRegistered.v1` opens the customer's stream. Groups and domains another
 * customer holds are refused (409). The read models may lag a concurrent registration; the projection then
 * keeps the first link or claim, so a group's calls never split between customers.
 */
export async function registerCustomer(
  deps: { eventStore: EventStore; facts: CustomerFacts },
  command: RegisterCustomer,
): Promise<CustomerRegisteredData> {
  const { workspaceId } = command;
  for (const [index, groupId] of command.groupIds.entries()) {
    const owner = await deps.facts.ownerOfGroup(workspaceId, groupId);
    if (owner) throw new CustomerConflictError(`Segment group ${groupId} is linked to customer ${owner}`, `groupIds.${index}`, owner);
  }
  for (const [index, domain] of command.domains.entries()) {
    const owner = await deps.facts.ownerOfDomain(workspaceId, domain);
    if (owner) throw new CustomerConflictError(`domain ${domain} belongs to customer ${owner}`, `domains.${index}`, owner);
  }
  const data: CustomerRegisteredData = {
    workspaceId,
    customerId: command.id ?? newCustomerId(),
    name: command.name,
    domains: command.domains,
    groupIds: command.groupIds,
    externalIds: command.externalIds,
    registeredAt: (command.now ?? new Date()).toISOString(),
  };
  try {
    await deps.eventStore.appendToStreams([
      {
        streamName: customerStream(workspaceId, data.customerId),
        expectedRevision: 'no_stream',
        // A fresh event id: a second registration under the same id must meet the existing stream, not pass as a retry.
        events: [{ id: randomUUID(), type: CUSTOMER_REGISTERED, data: { ...data }, metadata: { workspaceId, correlationId: command.correlationId } }],
      },
    ]);
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) {
      throw new CustomerConflictError(`customer ${data.customerId} exists already`, 'id', data.customerId);
    }
    throw error;
  }
  return data;
}

/** Links a Segment group to a customer (`SegmentGroupLinked.v1` in the customer's stream). */
export async function linkSegmentGroup(
  deps: { eventStore: EventStore; facts: CustomerFacts },
  command: { workspaceId: string; customerId: string; groupId: string; correlationId: string; now?: Date },
): Promise<SegmentGroupLinkedData> {
  const { workspaceId, customerId, groupId } = command;
  if (!(await deps.facts.customerExists(workspaceId, customerId))) throw new CustomerNotFoundError(customerId);
  const owner = await deps.facts.ownerOfGroup(workspaceId, groupId);
  if (owner && owner !== customerId) throw new CustomerConflictError(`Segment group ${groupId} is linked to customer ${owner}`, 'groupId', owner);
  const data: SegmentGroupLinkedData = { workspaceId, customerId, groupId, linkedAt: (command.now ?? new Date()).toISOString() };
  if (owner) return data;
  await deps.eventStore.appendToStreams([
    {
      streamName: customerStream(workspaceId, customerId),
      // One link per group and customer: a retried request is the same event, stored once.
      events: [{ id: uuidV5(`segment-group-linked:${workspaceId}:${customerId}:${groupId}`), type: SEGMENT_GROUP_LINKED, data: { ...data }, metadata: { workspaceId, correlationId: command.correlationId } }],
    },
  ]);
  return data;
}
