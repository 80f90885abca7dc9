// Ask: chat commands in plain language, answered by POST /api/chat/command.
import { api } from '../api.js';
import { badge, card, errorBox, h, json, page, replace, when } from '../dom.js';

const EXAMPLES = ['Show Segment events for Acme', 'Show health for acme.com', 'Configure Segment mapping', 'Replay status'];
const log = []; // kept while the tab is open, so leaving and coming back keeps the conversation

export function chatScreen(el) {
  const messages = h('div', { class: 'chat-log', id: 'chat-log', 'aria-live': 'polite' });
  const input = h('input', { id: 'chat-input', placeholder: 'Ask, e.g. “Show Segment events for Acme”', autocomplete: 'off', 'aria-label': 'Your question' });
  const sendButton = h('button', { class: 'primary', type: 'submit', id: 'chat-send' }, 'Ask');
  const suggestions = h('div', { class: 'suggestions' }, EXAMPLES.map((text) => h('button', { type: 'button', class: 'chip', onclick: () => ask(text) }, text)));

  replace(
    el,
    page(
      'Ask',
      'Ask about accounts, mappings and replays in plain words. Names may be misspelled.',
      card(
        null,
        messages,
        h('form', { class: 'chat-form', onsubmit: (e) => { e.preventDefault(); if (input.value.trim()) ask(input.value.trim()); } }, input, sendButton),
        suggestions,
      ),
    ),
  );
  for (const entry of log) messages.append(entry);
  if (log.length === 0) say('bot', h('p', {}, 'Hello! I can show Segment events and health for an account, tell you where to configure mappings, and report on replays.'));
  input.focus();

  function say(who, ...content) {
    const bubble = h('div', { class: `bubble ${who}` }, ...content);
    log.push(bubble);
    messages.append(bubble);
    messages.scrollTop = messages.scrollHeight;
    return bubble;
  }

  async function ask(text) {
    say('me', text);
    input.value = '';
    sendButton.disabled = true;
    const pending = say('bot pending', '…');
    try {
      const answer = await api('/api/chat/command', { method: 'POST', body: { text } });
      replace(pending, ...answerView(answer, ask));
      pending.className = 'bubble bot';
      pending.dataset.intent = answer.intent;
    } catch (error) {
      replace(pending, errorBox(error));
      pending.className = 'bubble bot';
    } finally {
      sendButton.disabled = false;
      messages.scrollTop = messages.scrollHeight;
      input.focus();
    }
  }
}

function answerView(answer, ask) {
  const parts = [h('p', { class: 'reply' }, answer.reply)];
  if (answer.choices?.length) parts.push(h('div', { class: 'suggestions' }, answer.choices.map((c) => h('button', { type: 'button', class: 'chip', onclick: () => ask(c.text) }, c.label))));
  if (answer.events?.length) {
    parts.push(
      h('table', { class: 'table compact' }, h('tbody', {}, answer.events.map((e) => h('tr', {}, h('td', { class: 'nowrap small' }, when(e.timestamp)), h('td', {}, badge(e.type, 'type')), h('td', {}, e.name ?? '—'), h('td', { class: 'mono small' }, e.userId ?? e.anonymousId ?? ''))))),
    );
  }
  if (answer.health?.components) {
    parts.push(h('table', { class: 'table compact' }, h('tbody', {}, Object.entries(answer.health.components).map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', { class: 'num' }, typeof v === 'number' ? v.toFixed(1) : JSON.stringify(v)))))));
  }
  if (answer.mappings?.rules) {
    parts.push(h('ul', { class: 'plain small' }, answer.mappings.rules.map((r) => h('li', {}, `${r.enabled ? '✓' : '○'} ${r.id}: ${'equals' in r.event ? r.event.equals : r.event.pattern} → ${r.signalType} (weight ${r.weight})`))));
  }
  if (answer.replay) parts.push(h('details', {}, h('summary', {}, 'Replay details'), json(answer.replay)));
  if (answer.examples?.length) parts.push(h('div', { class: 'suggestions' }, answer.examples.map((text) => h('button', { type: 'button', class: 'chip', onclick: () => ask(text) }, text))));
  if (answer.link) parts.push(h('p', {}, h('a', { href: answer.link.href, class: 'button small' }, answer.link.label)));
  return parts;
}
