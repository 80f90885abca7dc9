// Customers: the list, and one customer's traits, stakeholders, signals, health and alerts.
import { api } from '../api.js';
import { scoreChart } from '../chart.js';
import { ago, badge, card, emptyState, errorBox, h, json, notice, page, replace, when } from '../dom.js';

export function customersScreen(el) {
  const search = h('input', { type: 'search', id: 'customer-search', placeholder: 'Filter by name, domain or group id', 'aria-label': 'Filter customers' });
  const list = h('div', { id: 'customer-list' }, h('p', { class: 'muted' }, 'Loading…'));
  let customers = [];
  const draw = () => {
    const q = search.value.trim().toLowerCase();
    const shown = customers.filter((c) => !q || [c.name, c.id, ...(c.domains ?? []), ...(c.groupIds ?? [])].join(' ').toLowerCase().includes(q));
    if (customers.length === 0) {
      return replace(list, emptyState('No customers yet', 'A customer appears when Segment sends a group call for an account (or an admin registers one).', h('a', { class: 'button', href: '#/test' }, 'Send a group call')));
    }
    if (shown.length === 0) return replace(list, emptyState('No customer matches', 'Try part of the name or the domain.'));
    replace(
      list,
      h(
        'table',
        { class: 'table clickable' },
        h('thead', {}, h('tr', {}, ['Customer', 'Domains', 'Segment groups', 'Events', 'Last activity'].map((c) => h('th', {}, c)))),
        h(
          'tbody',
          {},
          shown.map((c) =>
            h(
              'tr',
              { onclick: () => (location.hash = `#/customers/${encodeURIComponent(c.id)}`) },
              h('td', {}, h('a', { href: `#/customers/${encodeURIComponent(c.id)}` }, c.name ?? c.id)),
              h('td', {}, (c.domains ?? []).join(', ') || '—'),
              h('td', { class: 'mono small' }, (c.groupIds ?? []).join(', ') || '—'),
              h('td', { class: 'num' }, c.eventCount ?? 0),
              h('td', {}, ago(c.lastActivityAt)),
            ),
          ),
        ),
      ),
    );
  };
  search.addEventListener('input', draw);
  replace(el, page('Customers', 'Accounts known from Segment group calls and registrations.', h('div', { class: 'toolbar' }, search), card(null, list)));
  api('/api/customers?limit=1000').then(
    (answer) => {
      customers = answer.customers;
      draw();
    },
    (error) => replace(list, errorBox(error)),
  );
}

/** A section that loads on its own; an API this service does not have yet says so instead of failing. */
function section(title, id, load) {
  const body = h('div', { id }, h('p', { class: 'muted' }, 'Loading…'));
  load(body).catch((error) => replace(body, error.status === 404 && !error.code ? notice(`${title} are not available on this service version.`, 'warn') : errorBox(error)));
  return card(title, body);
}

export function customerScreen(el, { params }) {
  const id = params[0];
  const header = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  replace(
    el,
    h(
      'section',
      { class: 'page' },
      h('a', { href: '#/customers', class: 'back' }, '← All customers'),
      header,
      h(
        'div',
        { class: 'two-col' },
        section('Health', 'customer-health', (body) => loadHealth(id, body)),
        section('Traits', 'customer-traits', (body) => loadTraits(id, body)),
      ),
      section('Stakeholders', 'customer-stakeholders', (body) => loadStakeholders(id, body)),
      section('Alerts', 'customer-alerts', (body) => loadAlerts(id, body)),
      section('Signals', 'customer-signals', (body) => loadSignals(id, body)),
      section('Segment events', 'customer-events', (body) => loadEvents(id, body)),
    ),
  );
  api(`/api/customers/${encodeURIComponent(id)}`).then(
    (c) => replace(header, h('header', { class: 'page-head' }, h('h1', { id: 'customer-name' }, c.name ?? c.id), h('p', { class: 'lead' }, [c.domains?.join(', '), `${c.eventCount ?? 0} events`, `last activity ${ago(c.lastActivityAt)}`].filter(Boolean).join(' · ')))),
    (error) => replace(header, errorBox(error.status === 404 ? { title: 'No such customer', message: `There is no customer or Segment group “${id}” in this workspace.` } : error)),
  );
}

async function loadTraits(id, body) {
  const c = await api(`/api/customers/${encodeURIComponent(id)}`);
  const facts = [['Customer id', c.id], ['Segment groups', (c.groupIds ?? []).join(', ') || '—'], ['Known since', when(c.createdAt)], ['Source', c.source === 'registered' ? 'registered by an admin' : 'Segment group call']];
  const traits = Object.entries(c.segmentTraits ?? {});
  const computed = Object.entries(c.computedTraits ?? {});
  const audiences = Array.isArray(c.audiences) ? c.audiences : Object.keys(c.audiences ?? {});
  replace(
    body,
    h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('h3', {}, 'Segment traits'),
    traits.length ? h('dl', { class: 'facts', id: 'segment-traits' }, traits.map(([k, v]) => [h('dt', {}, k), h('dd', {}, traitValue(v))])) : h('p', { class: 'muted' }, 'No traits yet: group calls with traits fill this in.'),
    computed.length > 0 && h('h3', {}, 'Computed traits (Engage)'),
    computed.length > 0 && h('dl', { class: 'facts' }, computed.map(([k, v]) => [h('dt', {}, k), h('dd', {}, traitValue(v))])),
    audiences.length > 0 && h('p', {}, h('strong', {}, 'Audiences: '), audiences.map((a) => badge(typeof a === 'string' ? a : a.key ?? JSON.stringify(a), 'info'))),
  );
}

const traitValue = (v) => (v && typeof v === 'object' && 'value' in v ? String(v.value) : typeof v === 'object' ? JSON.stringify(v) : String(v));

async function loadStakeholders(id, body) {
  const { stakeholders } = await api(`/api/customers/${encodeURIComponent(id)}/stakeholders`);
  if (!stakeholders.length) return replace(body, emptyState('No stakeholders yet', 'People appear here when users of this account send identify or track calls.'));
  replace(
    body,
    h(
      'table',
      { class: 'table' },
      h('thead', {}, h('tr', {}, ['Name', 'Email', 'Title', 'User ids', 'Events', 'Last seen'].map((c) => h('th', {}, c)))),
      h(
        'tbody',
        {},
        stakeholders.map((p) =>
          p.forgotten
            ? h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'Personal data erased on request'), h('td', { class: 'num' }, p.eventCount ?? 0), h('td', {}, ago(p.lastSeenAt)))
            : h('tr', {}, h('td', {}, p.name ?? h('span', { class: 'muted' }, 'unnamed')), h('td', {}, p.email ?? '—'), h('td', {}, p.title ?? '—'), h('td', { class: 'mono small' }, (p.identities?.userIds ?? []).join(', ') || 'anonymous'), h('td', { class: 'num' }, p.eventCount ?? 0), h('td', {}, ago(p.lastSeenAt))),
        ),
      ),
    ),
  );
}

async function loadSignals(id, body) {
  const answer = await api(`/api/customers/${encodeURIComponent(id)}/signals?limit=50`);
  const signals = answer.signals ?? answer;
  if (!signals.length) return replace(body, emptyState('No signals yet', 'Track events that match a mapping rule become adoption, expansion or risk signals.', h('a', { class: 'button', href: '#/mappings' }, 'Edit mappings')));
  replace(
    body,
    h(
      'ol',
      { class: 'signal-timeline' },
      signals.map((s) => h('li', {}, h('span', { class: 'when' }, when(s.timestamp)), badge(s.type, signalKind(s.type)), h('strong', {}, s.event), h('span', { class: 'muted small' }, `weight ${s.weight} · rule ${s.ruleId} (mappings v${s.mappingVersion})${s.userId ? ` · ${s.userId}` : ''}`))),
    ),
  );
}

const signalKind = (type) => ({ adoption: 'good', expansion: 'info', risk: 'bad' })[type] ?? 'neutral';

const COMPONENT_LABELS = {
  adoptionBreadth: 'Adoption breadth (features used)',
  adoptionFrequency: 'Adoption frequency',
  expansion: 'Expansion',
  recency: 'Recency',
  risk: 'Risk',
};

async function loadHealth(id, body) {
  const health = await api(`/api/customers/${encodeURIComponent(id)}/health`);
  const current = health.now ?? health;
  const score = current.score;
  if (score === undefined || score === null) return replace(body, emptyState('No health score yet', 'The score appears once events of this customer become signals (see Mappings).'));
  const max = health.maxPoints ?? {};
  const history = await api(`/api/customers/${encodeURIComponent(id)}/health/history`).catch(() => null);
  replace(
    body,
    h('div', { class: 'score-row' }, h('div', { class: `score ${score >= 70 ? 'good' : score >= 40 ? 'warn' : 'bad'}`, id: 'health-score' }, Math.round(score)), h('div', {}, h('div', {}, h('strong', {}, `${current.band ?? ''}`), h('span', { class: 'muted' }, ' health score, 0–100')), h('div', { class: 'small muted' }, `${health.signalCount ?? 0} signals · as of ${when(current.asOf)}`))),
    h('table', { class: 'table compact', id: 'health-components' }, h('tbody', {}, Object.entries(current.components ?? {}).map(([name, value]) => h('tr', {}, h('td', {}, COMPONENT_LABELS[name] ?? name), h('td', { class: 'num' }, `${Number(value).toFixed(1)}${max[name] ? ` / ${name === 'risk' ? '−' : ''}${max[name]}` : ''}`))))),
    history?.points?.length
      ? h('div', {}, h('h3', {}, 'Score history'), scoreChart(history.points))
      : h('p', { class: 'muted small' }, history ? 'The history chart fills in as signals arrive.' : 'Score history is not available on this service version.'),
  );
}

async function loadAlerts(id, body) {
  const answer = await api(`/api/alerts?customerId=${encodeURIComponent(id)}`);
  const alerts = answer.alerts ?? answer;
  if (!alerts.length) return replace(body, emptyState('No alerts', 'Alerts are raised when the health score drops or risk signals pile up.'));
  replace(body, h('ul', { class: 'alerts' }, alerts.map((a) => h('li', {}, badge(a.severity, a.severity === 'critical' || a.severity === 'high' ? 'bad' : 'warn'), ' ', h('strong', {}, a.kind.replace(/[-_]/g, ' ')), ' — ', a.message, h('span', { class: 'muted small' }, ` · score ${Math.round(a.score)} · ${when(a.raisedAt)}`)))));
}

async function loadEvents(id, body) {
  const answer = await api(`/api/segment/events/${encodeURIComponent(id)}?limit=50`);
  if (!answer.events.length) return replace(body, emptyState('No events yet', 'Segment calls attributed to this customer show up here.'));
  replace(
    body,
    h(
      'table',
      { class: 'table' },
      h('thead', {}, h('tr', {}, ['When', 'Type', 'Event', 'User', 'Attribution', ''].map((c) => h('th', {}, c)))),
      h('tbody', {}, answer.events.map((e) => h('tr', {}, h('td', { class: 'nowrap' }, when(e.timestamp)), h('td', {}, badge(e.type, 'type')), h('td', {}, e.name ?? '—'), h('td', { class: 'mono small' }, e.userId ?? e.anonymousId ?? '—'), h('td', {}, e.status?.attribution ?? '—'), h('td', {}, h('details', {}, h('summary', {}, 'Call'), json(e.call)))))),
    ),
  );
}
