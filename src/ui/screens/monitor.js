// Live monitor: every call as it moves through the service, with filters, details and the dead letters.
import { api, token } from '../api.js';
import { badge, card, emptyState, errorBox, h, json, notice, page, replace, when } from '../dom.js';
import { callProgress, STATUS_LABELS, statusKind } from '../progress.js';

const MAX_ROWS = 500;

export function monitorScreen(el) {
  const calls = new Map(); // key -> { key, events: [] }
  let projections = ['attribution'];
  let selected = null;
  let scheduled = false;

  const filters = {
    type: h('select', { id: 'filter-type', 'aria-label': 'Type' }, h('option', { value: '' }, 'All types'), ['track', 'identify', 'group', 'page', 'screen', 'alias'].map((t) => h('option', { value: t }, t))),
    status: h('select', { id: 'filter-status', 'aria-label': 'Status' }, h('option', { value: '' }, 'Any status'), Object.entries(STATUS_LABELS).map(([v, l]) => h('option', { value: v }, l))),
    customer: h('input', { id: 'filter-customer', type: 'search', placeholder: 'Customer id', 'aria-label': 'Customer' }),
    text: h('input', { id: 'filter-text', type: 'search', placeholder: 'Search event, user, message id…', 'aria-label': 'Search' }),
  };
  const connection = h('span', { class: 'connection', id: 'stream-state' }, 'Connecting…');
  const tableBox = h('div', { id: 'monitor-table' });
  const details = h('div', { id: 'monitor-details', class: 'details-panel' });
  const letters = h('div', { id: 'dead-letters' });
  // Outside the table, which reloads after a retry: the answer stays readable.
  const retryAnswer = h('div', { id: 'dead-letter-retry', 'aria-live': 'polite' });
  for (const input of Object.values(filters)) input.addEventListener('input', () => schedule());

  replace(
    el,
    page(
      'Live monitor',
      'Calls appear here the moment they arrive, and move on as they are stored, attributed to a customer and projected.',
      h('div', { class: 'toolbar' }, filters.type, filters.status, filters.customer, filters.text, connection),
      h('div', { class: 'split' }, card(null, tableBox), details),
      card('Dead letters', h('p', { class: 'muted' }, 'Calls that were rejected at the door, and events a read model could not process. Retry once the cause is fixed.'), retryAnswer, letters),
    ),
  );

  const source = new EventSource(`/api/monitor/stream?token=${encodeURIComponent(token.get() ?? '')}`);
  source.addEventListener('hello', (message) => {
    projections = JSON.parse(message.data).projections ?? projections;
  });
  source.addEventListener('call', (message) => {
    const event = JSON.parse(message.data);
    const key = event.messageId ?? event.eventId ?? `seq-${event.seq}`;
    const entry = calls.get(key) ?? { key, events: [] };
    entry.events.push(event);
    calls.delete(key);
    calls.set(key, entry); // newest activity last: rows are shown newest first
    while (calls.size > MAX_ROWS) calls.delete(calls.keys().next().value);
    // A projection's failure is a dead letter at once; a call rejected at the door is listed once the
    // rejected-calls projection has stored its letter.
    if (event.stage === 'failed' || (event.stage === 'projected' && event.projection === 'rejected-calls')) loadLetters();
    schedule();
  });
  source.onopen = () => {
    connection.textContent = 'Live';
    connection.className = 'connection live';
  };
  source.onerror = () => {
    connection.textContent = 'Reconnecting…';
    connection.className = 'connection down';
  };

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      draw();
    });
  }

  function matches(row) {
    const text = filters.text.value.trim().toLowerCase();
    const customer = filters.customer.value.trim().toLowerCase();
    if (filters.type.value && row.callType !== filters.type.value) return false;
    if (filters.status.value && row.status !== filters.status.value) return false;
    if (customer && !(row.customerId ?? '').toLowerCase().includes(customer)) return false;
    if (text) {
      const haystack = [row.name, row.userId, row.anonymousId, row.messageId, row.groupId, row.callType, row.customerId].join(' ').toLowerCase();
      if (!haystack.includes(text)) return false;
    }
    return true;
  }

  function draw() {
    const rows = [...calls.values()].reverse().map((entry) => callProgress(entry, projections));
    const shown = rows.filter(matches);
    if (rows.length === 0) {
      replace(tableBox, emptyState('Waiting for calls…', 'Nothing has arrived since the service started. Send one with the test sender, or from Segment.', h('a', { class: 'button', href: '#/test' }, 'Open the test sender')));
    } else if (shown.length === 0) {
      replace(tableBox, emptyState('No call matches these filters', `${rows.length} calls are hidden by the filters above.`));
    } else {
      replace(
        tableBox,
        h(
          'table',
          { class: 'table clickable' },
          h('thead', {}, h('tr', {}, ['Time', 'Type', 'Event', 'User', 'Customer', 'Status'].map((c) => h('th', {}, c)))),
          h(
            'tbody',
            {},
            shown.map((row) =>
              h(
                'tr',
                { class: row.key === selected ? 'selected' : '', dataset: { messageId: row.messageId ?? '', status: row.status }, onclick: () => { selected = row.key; draw(); } },
                h('td', { class: 'nowrap' }, new Date(row.firstAt).toLocaleTimeString()),
                h('td', {}, badge(row.callType ?? '?', 'type')),
                h('td', {}, row.name ?? '—'),
                h('td', { class: 'mono' }, row.userId ?? row.anonymousId ?? '—'),
                h('td', { class: 'truncate', title: row.customerId ?? '' }, row.customerId ? h('a', { href: `#/customers/${encodeURIComponent(row.customerId)}` }, row.customerId) : '—'),
                h('td', {}, badge(STATUS_LABELS[row.status], statusKind(row.status))),
              ),
            ),
          ),
        ),
      );
    }
    const current = selected && calls.get(selected);
    replace(details, current ? detailsOf(callProgress(current, projections)) : h('div', { class: 'muted pad' }, 'Select a call to see its steps and any errors.'));
  }

  async function loadLetters() {
    try {
      const { deadLetters } = await api('/api/integrations/segment/dlq?limit=50');
      replace(letters, deadLetters.length ? lettersTable(deadLetters, loadLetters, retryAnswer) : emptyState('No dead letters', 'Every call so far was accepted and processed.'));
    } catch (error) {
      replace(letters, errorBox(error));
    }
  }

  draw();
  loadLetters();
  return () => source.close();
}

function detailsOf(row) {
  return h(
    'div',
    { class: 'pad' },
    h('h2', {}, `${row.callType ?? 'call'} ${row.name ?? ''}`),
    h('p', { class: 'mono small' }, row.messageId ?? ''),
    h('ol', { class: 'timeline' }, row.steps.map((s) => h('li', { class: s.kind }, h('strong', {}, s.label), h('span', { class: 'muted' }, ` ${new Date(s.at).toLocaleTimeString()}`), s.detail && h('div', { class: 'small' }, s.detail)))),
    row.errors.length > 0 && h('div', { class: 'alert error' }, h('strong', {}, 'Why it failed'), h('ul', {}, row.errors.map((e) => h('li', {}, h('code', {}, e.path), ' — ', e.message)))),
  );
}

function lettersTable(letters, reload, answerBox) {
  return h(
    'table',
    { class: 'table' },
    h('thead', {}, h('tr', {}, ['Failed', 'Kind', 'Message', 'What went wrong', 'Status', ''].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      letters.map((letter) => {
        const name = letter.messageId ?? letter.id;
        const retry = h('button', { class: 'small', dataset: { retry: letter.id }, disabled: letter.status !== 'open', onclick: async () => {
          retry.disabled = true;
          try {
            await api(`/api/integrations/segment/dlq/${encodeURIComponent(letter.id)}/retry`, { method: 'POST' });
            replace(answerBox, notice(`${name}: processed now.`, 'success'));
            reload();
          } catch (error) {
            if (error.body?.outcome === 'still-failing') {
              // 422: the retry ran and the letter stays open, with the errors of this attempt.
              const letterNow = error.body.deadLetter ?? {};
              const errors = (letterNow.lastRetryErrors ?? letterNow.errors ?? []).map((e) => `${e.path}: ${e.message}`).join('; ');
              replace(answerBox, notice(`${name}: still failing${errors ? ` (${errors})` : ''}.`, 'warn'));
              reload();
              return;
            }
            retry.disabled = false;
            replace(answerBox, error.status === 404 && !error.code ? notice('Retrying is not available on this service version.', 'warn') : errorBox(error));
          }
        } }, 'Retry');
        return h(
          'tr',
          {},
          h('td', { class: 'nowrap' }, when(letter.failedAt)),
          h('td', {}, letter.kind === 'rejected-call' ? 'Rejected call' : `Failed in ${letter.projection}`),
          h('td', { class: 'mono small' }, letter.messageId ?? '—'),
          h('td', {}, h('ul', { class: 'plain' }, letter.errors.map((e) => h('li', {}, h('code', {}, e.path), ' ', e.message))), h('details', {}, h('summary', {}, 'Payload'), json(parse(letter.payload)))),
          h('td', {}, badge(letter.status, letter.status === 'open' ? 'bad' : 'neutral')),
          h('td', {}, letter.kind === 'projection-failure' || letter.status === 'open' ? retry : ''),
        );
      }),
    ),
  );
}

const parse = (payload) => {
  if (typeof payload !== 'string') return payload;
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
};
