import { AccountCandidate, matchAccount } from '../../domain/chat/accountMatch';
import { CHAT_EXAMPLES, ChatIntent } from '../../domain/chat/intents';
import type { CustomerDoc } from '../../projections/attribution/documents';
import type { Services } from '../../service';
import { currentMappings } from '../../commands/mappings/changeSignalMappings';

export interface ChatAnswer {
  readonly intent: ChatIntent['kind'] | 'choose-account' | 'no-account';
  readonly reply: string;
  readonly choices?: readonly { readonly label: string; readonly text: string }[];
  readonly examples?: readonly string[];
  readonly link?: { readonly href: string; readonly label: string };
  readonly customer?: { readonly id: string; readonly name: string | null };
  readonly events?: readonly unknown[];
  readonly health?: unknown;
  readonly mappings?: unknown;
  readonly replay?: unknown;
}

const CAPABILITIES = [
  '• “Show Segment events for <account>” — the latest calls of an account (name or domain; spelling may be off)',
  '• “Show health for <account>” — its health score and what makes it up',
  '• “Configure Segment mapping” — where mappings are edited, and the rules in force',
  '• “Replay status” — whether the read models follow the current mappings, and any replay running',
].join('\n');

/** Answers one understood request with the workspace's data. Every read is scoped to the workspace. */
export async function answerChat(services: Services, workspaceId: string, intent: ChatIntent): Promise<ChatAnswer> {
  switch (intent.kind) {
    case 'show-events':
    case 'show-health': {
      const what = intent.kind === 'show-events' ? 'Show Segment events for' : 'Show health for';
      if (!intent.account) {
        return { intent: 'no-account', reply: `Which account? For example: “${what} Acme” (a name or a domain).` };
      }
      const customers = await services.queries.listCustomers(workspaceId, 5000);
      const match = matchAccount(intent.account, customers.map(candidateOf));
      if (match.kind === 'none') {
        return {
          intent: 'no-account',
          reply: customers.length
            ? `I found no account like “${intent.account}”. Check the spelling, or try its domain.`
            : 'There are no accounts in this workspace yet. They appear when Segment sends group calls.',
          link: { href: '#/customers', label: 'Browse customers' },
        };
      }
      if (match.kind === 'several') {
        return {
          intent: 'choose-account',
          reply: `Several accounts match “${intent.account}”. Which one do you mean?`,
          choices: match.accounts.map((a) => ({ label: labelOf(a), text: `${what} ${a.domains[0] ?? a.id}` })),
        };
      }
      const customer = match.account.doc;
      return intent.kind === 'show-events' ? eventsAnswer(services, workspaceId, customer) : healthAnswer(services, workspaceId, customer);
    }
    case 'configure-mapping': {
      const mappings = await currentMappings(services.eventStore, workspaceId);
      const enabled = mappings.rules.filter((r) => r.enabled).length;
      return {
        intent: 'configure-mapping',
        reply:
          `Mappings turn Segment track events into adoption, expansion and risk signals. Edit them in the web app under Mappings ` +
          `(or PUT /api/integrations/segment/mappings). Version ${mappings.version} is in force: ${mappings.rules.length} rules, ${enabled} enabled. ` +
          'Each save is a new version; replay to apply it to past events.',
        mappings: { version: mappings.version, rules: mappings.rules },
        link: { href: '#/mappings', label: 'Open the mapping editor' },
      };
    }
    case 'replay-status':
      return replayAnswer(services, workspaceId);
    case 'help':
      return { intent: 'help', reply: `Here is what I can do:\n${CAPABILITIES}`, examples: [...CHAT_EXAMPLES] };
    case 'unknown':
      return { intent: 'unknown', reply: `Sorry, I did not understand that. I can answer these:\n${CAPABILITIES}`, examples: [...CHAT_EXAMPLES] };
  }
}

type Candidate = AccountCandidate & { readonly doc: CustomerDoc };
const candidateOf = (doc: CustomerDoc): Candidate => ({ id: doc.customerId, name: doc.name, domains: doc.domains, groupIds: doc.groupIds, doc });
const labelOf = (a: AccountCandidate) => [a.name ?? a.id, a.domains[0]].filter(Boolean).join(' · ');
const customerLink = (c: CustomerDoc) => ({ href: `#/customers/${encodeURIComponent(c.customerId)}`, label: `Open ${c.name ?? c.customerId}` });

async function eventsAnswer(services: Services, workspaceId: string, customer: CustomerDoc): Promise<ChatAnswer> {
  const events = await services.queries.customerEvents(workspaceId, customer.customerId, { limit: 10 });
  const name = customer.name ?? customer.customerId;
  return {
    intent: 'show-events',
    reply: events.length
      ? `The latest ${events.length === 1 ? 'Segment event' : `${events.length} Segment events`} for ${name} (${customer.eventCount} in all):`
      : `${name} has no Segment events yet.`,
    customer: { id: customer.customerId, name: customer.name },
    events: events.map((e) => ({ id: e._id, type: e.callType, name: e.name, userId: e.userId, anonymousId: e.anonymousId, timestamp: e.timestamp })),
    link: customerLink(customer),
  };
}

async function healthAnswer(services: Services, workspaceId: string, customer: CustomerDoc): Promise<ChatAnswer> {
  const health = await services.signals.health.customerHealth(workspaceId, customer.customerId);
  const name = customer.name ?? customer.customerId;
  if (!health) {
    return { intent: 'show-health', reply: `${name} has no health score yet: none of its events has become a signal.`, customer: { id: customer.customerId, name: customer.name }, link: customerLink(customer) };
  }
  return {
    intent: 'show-health',
    reply: `${name}: health ${Math.round(health.score)} of 100 (${health.band}), from ${health.signalCount} signals, as of ${health.asOf}.`,
    customer: { id: customer.customerId, name: customer.name },
    health: { score: health.score, band: health.band, components: health.components, asOf: health.asOf },
    link: customerLink(customer),
  };
}

async function replayAnswer(services: Services, workspaceId: string): Promise<ChatAnswer> {
  const mappings = await currentMappings(services.eventStore, workspaceId);
  const built = services.signals.versions.current();
  const latest = services.signals.replays.latest(workspaceId);
  const running = latest && (latest.state === 'running' || latest.state === 'switching');
  const lines = [
    running
      ? `A replay is ${latest.state}: ${latest.progress.eventsDone} of ${latest.progress.totalIsEstimate ? 'about ' : ''}${latest.progress.eventsTotal} events (${Math.round(latest.progress.fraction * 100)}%).`
      : latest
        ? `The last replay ${latest.state === 'failed' ? `failed: ${latest.error}` : `completed at ${latest.finishedAt}`} (read models version ${latest.fromVersion} → ${latest.toVersion}).`
        : 'No replay has run since the service started.',
    `Mappings in force: version ${mappings.version}. Read models built as version ${built.version}.`,
  ];
  return { intent: 'replay-status', reply: lines.join('\n'), replay: latest ?? null, link: { href: '#/mappings', label: 'Open mappings and replay' } };
}
