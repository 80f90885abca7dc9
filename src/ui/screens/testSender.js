// Test event sender: compose or pick a call, send it through the real webhook, and watch each step happen.
import { api, token } from '../api.js';
import { badge, card, errorBox, h, notice, page, replace } from '../dom.js';
import { SAMPLES } from '../samples.js';

/** What each read model's step means to a person. */
const stepLabel = (projection) =>
  /signal|mapping/i.test(projection) ? 'Mapped to signals' : /health/i.test(projection) ? 'Health updated' : /attribution/i.test(projection) ? 'Attributed' : `Projected by ${projection}`;

export function testSenderScreen(el, ctx) {
  let chosen = 'track';
  let watch = null;
  const editor = h('textarea', { id: 'call-json', class: 'code', rows: 18, spellcheck: 'false', 'aria-label': 'Call JSON' });
  const editorError = h('p', { class: 'field-error', id: 'call-json-error' });
  const result = h('div', { id: 'send-result' });
  const pick = (key) => {
    chosen = key;
    editor.value = JSON.stringify(SAMPLES[key].make(), null, 2);
    editorError.textContent = '';
    for (const b of picker.querySelectorAll('button')) b.classList.toggle('active', b.dataset.sample === key);
  };
  const picker = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Samples' }, Object.entries(SAMPLES).map(([key, s]) => h('button', { type: 'button', dataset: { sample: key }, onclick: () => pick(key) }, s.label)));
  const send = h('button', { class: 'primary', id: 'send', type: 'submit' }, 'Send through the webhook');

  replace(
    el,
    page(
      'Test sender',
      'Send a Segment call exactly as Segment would — to the real webhook, with this workspace’s write key — and follow it through the service.',
      h(
        'div',
        { class: 'two-col' },
        card(
          'Compose',
          picker,
          h('form', { onsubmit: (e) => { e.preventDefault(); submit(); } }, h('label', { for: 'call-json' }, 'Call (JSON)'), editor, editorError, h('div', { class: 'actions' }, send, h('button', { type: 'button', onclick: () => pick(chosen) }, 'New message id'))),
        ),
        card('What happened', result),
      ),
    ),
  );
  pick('track');
  replace(result, h('p', { class: 'muted' }, 'Send a call to see it received, stored, attributed to a customer, mapped to signals and reflected in health.'));

  async function submit() {
    let call;
    try {
      call = JSON.parse(editor.value);
    } catch (error) {
      editorError.textContent = `This is not valid JSON: ${error.message}`;
      return;
    }
    editorError.textContent = '';
    send.disabled = true;
    watch?.close();
    const steps = h('ol', { class: 'pipeline', id: 'pipeline' });
    const outcome = h('div');
    replace(result, steps, outcome);
    const step = (id, label) => {
      const li = h('li', { class: 'pending', dataset: { step: id } }, h('span', { class: 'dot' }), h('span', { class: 'step-label' }, label), h('span', { class: 'step-detail muted' }, 'waiting…'));
      steps.append(li);
      return li;
    };
    const mark = (li, kind, detail) => {
      li.className = kind;
      li.querySelector('.step-detail').textContent = detail;
    };
    const sent = step('sent', 'Sent to the webhook');
    const stored = step('stored', 'Stored durably');
    const projections = new Map();
    const ensureProjectionStep = (name) => {
      if (!projections.has(name)) projections.set(name, step(name, stepLabel(name)));
      return projections.get(name);
    };

    // Listen before sending so no step is missed.
    watch = new EventSource(`/api/monitor/stream?token=${encodeURIComponent(token.get() ?? '')}`);
    await new Promise((resolve) => {
      watch.addEventListener('hello', (m) => {
        for (const name of JSON.parse(m.data).projections ?? []) ensureProjectionStep(name);
        resolve();
      });
      watch.onerror = resolve;
    });
    watch.addEventListener('call', (m) => {
      const e = JSON.parse(m.data);
      if (e.messageId !== call.messageId) return;
      if (e.stage === 'stored') mark(stored, 'done', e.eventId ? `event ${e.eventId.slice(0, 8)}…` : 'stored');
      if (e.stage === 'rejected') mark(stored, 'bad', e.errors.map((x) => `${x.path}: ${x.message}`).join('; '));
      if (e.stage === 'attributed') mark(ensureProjectionStep(e.projection), 'done', `customer ${e.customerId}`), showCustomer(e.customerId);
      if (e.stage === 'unresolved') mark(ensureProjectionStep(e.projection), 'warn', 'no account known for this user yet — it waits, and is attributed when a group call names the account');
      if (e.stage === 'projected') mark(ensureProjectionStep(e.projection), 'done', 'done');
      if (e.stage === 'failed') mark(ensureProjectionStep(e.projection), 'bad', e.errors.map((x) => x.message).join('; '));
    });

    const workspace = ctx.workspace;
    try {
      const answer = await api('/api/integrations/segment/webhook', {
        method: 'POST',
        auth: 'none',
        headers: { authorization: `Basic ${btoa(`${workspace.writeKey}:`)}` },
        body: call,
      });
      mark(sent, 'done', answer.duplicates ? 'already received before (duplicate message id): nothing new stored' : `accepted (HTTP 200)`);
      if (answer.duplicates) mark(stored, 'warn', 'duplicate — click “New message id” to send it again');
    } catch (error) {
      mark(sent, 'bad', error.message);
      const fields = [...(error.fields ?? new Map())].map(([path, message]) => `${path}: ${message}`);
      replace(outcome, errorBox({ title: error.title, message: fields.length ? `Segment would get this answer, and drop the call: ${fields.join('; ')}` : error.message, detail: error.detail }));
    } finally {
      send.disabled = false;
    }

    function showCustomer(customerId) {
      replace(outcome, notice(h('span', {}, 'Attributed to ', h('a', { href: `#/customers/${encodeURIComponent(customerId)}`, id: 'test-customer-link' }, customerId), '. Open the customer to see the event, signals and health.'), 'success'));
    }
  }

  return () => watch?.close();
}
