// Segment setup: where to send calls, how to authenticate them, and the write key's life cycle.
import { api } from '../api.js';
import { badge, card, copyText, errorBox, h, notice, page, replace, when } from '../dom.js';

const mask = (secret) => (secret.length <= 10 ? '••••••••' : `${secret.slice(0, 6)}${'•'.repeat(12)}${secret.slice(-4)}`);

/** A secret shown masked, with Reveal and Copy. */
function secretField(id, label, value) {
  let shown = false;
  const text = h('code', { class: 'secret', id }, mask(value));
  const reveal = h('button', { class: 'small', 'data-action': `reveal-${id}`, onclick: () => {
    shown = !shown;
    text.textContent = shown ? value : mask(value);
    reveal.textContent = shown ? 'Hide' : 'Reveal';
  } }, 'Reveal');
  const copy = h('button', { class: 'small', onclick: () => copyText(value, copy) }, 'Copy');
  return h('div', { class: 'field-row' }, h('span', { class: 'field-label' }, label), text, reveal, copy);
}

const copyable = (value, id) => {
  const copy = h('button', { class: 'small', onclick: () => copyText(value, copy) }, 'Copy');
  return h('div', { class: 'copyable' }, h('code', { id }, value), copy);
};

const step = (n, title, ...body) => h('li', { class: 'step' }, h('span', { class: 'step-n' }, n), h('div', {}, h('h3', {}, title), ...body));

export function connectScreen(el, ctx) {
  const draw = (workspace, message) => {
    const basic = `Basic ${btoa(`${workspace.writeKey}:`)}`;
    const trackingBase = workspace.webhookUrl.replace(/\/api\/integrations\/segment\/webhook$/, '');
    replace(
      el,
      page(
        'Segment setup',
        'Connect a Segment source to this workspace. Calls arrive in the live monitor as soon as Segment sends them.',
        message,
        card(
          'Webhooks (Actions) destination',
          h(
            'ol',
            { class: 'steps' },
            step(1, 'Add the destination', h('p', {}, 'In Segment, open Connections → Catalog → Destinations, search for ', h('strong', {}, 'Webhooks (Actions)'), ', add it and pick the source whose events CSCX.AI should receive.')),
            step(2, 'Endpoint URL', h('p', {}, 'In the destination’s mapping (action “Send”), set the URL and the method POST:'), copyable(workspace.webhookUrl, 'webhook-url')),
            step(3, 'Authorization header', h('p', {}, 'Under Headers add ', h('code', {}, 'Authorization'), ' with this value (the write key as the HTTP Basic user name, empty password):'), copyable(basic, 'auth-header')),
            step(4, 'Batching', h('p', {}, 'Turn “Enable Batching” on for high volumes. Batches of up to 4,000 events are accepted; Segment’s default of 1,000 is fine.')),
            step(5, 'Or sign with the shared secret', h('p', {}, 'Instead of the header, you may put the shared secret below into the destination’s “Shared Secret” setting. Segment then signs every request (X-Signature), batched or not.')),
            step(6, 'Send a test', h('p', {}, 'Use the ', h('a', { href: '#/test' }, 'test sender'), ' or Segment’s “Send test event”, and watch it in the ', h('a', { href: '#/monitor' }, 'live monitor'), '.')),
          ),
        ),
        card(
          'Credentials',
          secretField('write-key', 'Write key', workspace.writeKey),
          secretField('shared-secret', 'Shared secret', workspace.sharedSecret),
          h('h3', {}, 'Write keys'),
          h(
            'table',
            { class: 'table', id: 'write-keys' },
            h('thead', {}, h('tr', {}, h('th', {}, 'Key'), h('th', {}, 'Created'), h('th', {}, 'Status'))),
            h(
              'tbody',
              {},
              workspace.writeKeys.map((key) =>
                h(
                  'tr',
                  {},
                  h('td', {}, h('code', {}, mask(key.key))),
                  h('td', {}, when(key.createdAt)),
                  h(
                    'td',
                    {},
                    key.status === 'active'
                      ? badge('In use', 'good')
                      : key.status === 'retiring'
                        ? badge(`Still accepted until ${when(key.expiresAt)}`, 'warn')
                        : badge('Expired', 'neutral'),
                  ),
                ),
              ),
            ),
          ),
          rotateForm(workspace, ctx, draw),
        ),
        card(
          'Other ways in',
          h('p', {}, h('strong', {}, 'CSCX.AI destination. '), 'Where the CSCX.AI destination is available in your Segment catalog, add it and paste the write key as its API key; it sends to the same endpoint.'),
          h('p', {}, h('strong', {}, 'HTTP Tracking API. '), 'Sources that speak Segment’s tracking API (analytics-node, RudderStack, Jitsu) can use this base URL with the write key:'),
          copyable(trackingBase, 'tracking-base'),
        ),
      ),
    );
  };

  api('/api/workspace').then((w) => draw(w), (error) => replace(el, page('Segment setup', null, errorBox(error))));
}

function rotateForm(workspace, ctx, draw) {
  const grace = h(
    'select',
    { id: 'grace-hours' },
    h('option', { value: '1' }, '1 hour'),
    h('option', { value: '24', selected: true }, '24 hours'),
    h('option', { value: '72' }, '3 days'),
    h('option', { value: '168' }, '7 days'),
    h('option', { value: '0' }, 'No grace period (old key stops now)'),
  );
  const button = h('button', { class: 'danger', id: 'rotate', type: 'submit' }, 'Rotate write key');
  return h(
    'form',
    {
      class: 'rotate',
      onsubmit: async (event) => {
        event.preventDefault();
        const hours = Number(grace.value);
        const question = hours
          ? `Create a new write key? The current one keeps working for ${grace.selectedOptions[0].textContent}, then stops.`
          : 'Create a new write key? The current one stops working immediately.';
        if (!window.confirm(question)) return;
        button.disabled = true;
        try {
          const updated = await api('/api/workspace/write-keys/rotate', { method: 'POST', body: { graceHours: hours } });
          await ctx.refreshWorkspace();
          draw(updated, notice('A new write key is in use. Update the Authorization header in Segment before the old key expires.', 'success'));
        } catch (error) {
          button.disabled = false;
          draw(workspace, errorBox(error));
        }
      },
    },
    h('label', { for: 'grace-hours' }, 'Old key keeps working for'),
    grace,
    button,
  );
}
