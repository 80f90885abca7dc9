// Mapping editor: which Segment track events become which signals; saving makes a new version; replay applies it.
import { api } from '../api.js';
import { badge, card, emptyState, errorBox, h, json, notice, page, replace, when } from '../dom.js';
import { conditionFromForm, conditionToForm, describeCondition, describeEvent, OPERATORS } from '../rules.js';
import { replayPanel } from './replay.js';

const BUILT_IN_TYPES = ['adoption', 'expansion', 'risk'];

export function mappingsScreen(el) {
  let rules = [];
  let version = null;
  let editing = null; // index being edited, or rules.length for a new rule
  let errors = new Map(); // path -> message
  const status = h('div', { id: 'mapping-status' });
  const list = h('div', { id: 'rule-list' });
  const editor = h('div', { id: 'rule-editor' });
  const history = h('div', { id: 'mapping-version' });
  const replay = replayPanel();

  replace(
    el,
    page(
      'Event mappings',
      'Rules turn Segment track events into adoption, expansion and risk signals. The first matching enabled rule wins. Saving creates a new version; replaying applies it to past events.',
      status,
      card(null, h('div', { class: 'card-head' }, h('h2', {}, 'Rules'), history, h('button', { class: 'primary', id: 'add-rule', onclick: () => edit(rules.length) }, 'Add rule')), list),
      editor,
      replay.element,
    ),
  );

  async function load() {
    try {
      const answer = await api('/api/integrations/segment/config');
      const set = answer.mappings ?? answer;
      rules = structuredClone(set.rules ?? []);
      version = set.version ?? null;
      draw();
    } catch (error) {
      replace(list, error.status === 404 && !error.code ? notice('The mapping API is not available on this service version.', 'warn') : errorBox(error));
    }
  }

  function draw() {
    replace(history, version === null ? '' : h('span', { class: 'muted', id: 'mapping-version-label' }, `Version ${version}${version === 0 ? ' (shipped defaults)' : ''}`));
    if (rules.length === 0) {
      replace(list, emptyState('No rules', 'Without rules no event becomes a signal. Add one, for example “Report Exported” → adoption.'));
    } else {
      replace(
        list,
        h(
          'table',
          { class: 'table' },
          h('thead', {}, h('tr', {}, ['On', 'Rule', 'When the event is', 'Conditions', 'Becomes', 'Keeps', ''].map((c) => h('th', {}, c)))),
          h(
            'tbody',
            {},
            rules.map((rule, i) => {
              const ruleErrors = [...errors].filter(([path]) => path.startsWith(`rules.${i}.`) || path === `rules.${i}`);
              return h(
                'tr',
                { class: [rule.enabled ? '' : 'disabled', ruleErrors.length ? 'has-error' : ''], dataset: { rule: rule.id } },
                h('td', {}, h('input', { type: 'checkbox', checked: rule.enabled, 'aria-label': `Enable ${rule.id}`, onchange: (e) => { rule.enabled = e.target.checked; dirty(); draw(); } })),
                h('td', {}, h('strong', {}, rule.id), rule.description && h('div', { class: 'small muted' }, rule.description), ruleErrors.map(([p, m]) => h('div', { class: 'field-error' }, `${p}: ${m}`))),
                h('td', {}, describeEvent(rule.event)),
                h('td', {}, (rule.conditions ?? []).length ? h('ul', { class: 'plain small' }, rule.conditions.map((c) => h('li', {}, describeCondition(c)))) : h('span', { class: 'muted' }, 'none')),
                h('td', {}, badge(rule.signalType, { adoption: 'good', expansion: 'info', risk: 'bad' }[rule.signalType] ?? 'neutral'), h('span', { class: 'muted small' }, ` weight ${rule.weight}`)),
                h('td', { class: 'small' }, (rule.properties ?? []).map((p) => `${p.from} → ${p.to}`).join(', ') || '—'),
                h('td', { class: 'nowrap' }, h('button', { class: 'small', onclick: () => edit(i) }, 'Edit'), ' ', h('button', { class: 'small link', onclick: () => { rules.splice(i, 1); dirty(); draw(); } }, 'Remove')),
              );
            }),
          ),
        ),
      );
    }
    drawEditor();
  }

  const unsavedBar = () =>
    h('div', { class: 'alert warn sticky' }, h('span', {}, 'You have unsaved changes.'), h('button', { class: 'primary', id: 'save-mappings', onclick: save }, 'Save as new version'), h('button', { class: 'link', onclick: () => { errors = new Map(); editing = null; replace(status); load(); } }, 'Discard'));
  const dirty = () => replace(status, unsavedBar());

  function edit(index) {
    editing = index;
    drawEditor();
    editor.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  function drawEditor() {
    if (editing === null) return replace(editor);
    const isNew = editing >= rules.length;
    const rule = isNew ? { id: '', event: { equals: '' }, signalType: 'adoption', weight: 10, enabled: true, conditions: [], properties: [] } : rules[editing];
    const p = (field) => `rules.${editing}.${field}`;
    const err = (...paths) => paths.map((path) => errors.get(path)).find(Boolean);
    const fieldError = (...paths) => h('div', { class: 'field-error', dataset: { for: paths[0] } }, err(...paths) ?? '');

    const id = h('input', { id: 'rule-id', value: rule.id, dataset: { path: p('id') }, placeholder: 'report_exported' });
    const eventKind = h('select', { id: 'rule-event-kind' }, h('option', { value: 'equals', selected: 'equals' in rule.event }, 'is exactly'), h('option', { value: 'pattern', selected: 'pattern' in rule.event }, 'matches pattern (* and ?)'));
    const eventName = h('input', { id: 'rule-event', value: rule.event.equals ?? rule.event.pattern ?? '', placeholder: 'Report Exported', dataset: { path: p('event') } });
    const typeChoice = BUILT_IN_TYPES.includes(rule.signalType) ? rule.signalType : 'custom';
    const signalType = h('select', { id: 'rule-signal-type' }, [...BUILT_IN_TYPES, 'custom'].map((t) => h('option', { value: t, selected: t === typeChoice }, t === 'custom' ? 'custom…' : t)));
    const customType = h('input', { id: 'rule-custom-type', value: typeChoice === 'custom' ? rule.signalType : '', placeholder: 'e.g. onboarding', class: typeChoice === 'custom' ? '' : 'hidden' });
    signalType.addEventListener('change', () => customType.classList.toggle('hidden', signalType.value !== 'custom'));
    const weight = h('input', { id: 'rule-weight', type: 'number', min: 0, max: 100, step: 'any', value: rule.weight });
    const enabled = h('input', { id: 'rule-enabled', type: 'checkbox', checked: rule.enabled });
    const description = h('input', { id: 'rule-description', value: rule.description ?? '', placeholder: 'What this rule means, for the next admin' });

    const conditions = h('div', { class: 'rows' });
    const addCondition = (c = { property: '', equals: '' }, i = conditions.children.length) => {
      const form = conditionToForm(c);
      const property = h('input', { value: form.property, placeholder: 'plan.tier', 'aria-label': 'Property', class: 'cond-property' });
      const operator = h('select', { 'aria-label': 'Operator', class: 'cond-operator' }, OPERATORS.map(([v, l]) => h('option', { value: v, selected: v === form.operator }, l)));
      const value = h('input', { value: form.value, placeholder: 'value (comma-separated for “one of”)', 'aria-label': 'Value', class: 'cond-value' });
      const row = h('div', { class: 'row' }, property, operator, value, h('button', { type: 'button', class: 'small link', onclick: () => row.remove() }, 'Remove'), fieldError(p(`conditions.${i}`), p(`conditions.${i}.property`)));
      conditions.append(row);
    };
    (rule.conditions ?? []).forEach((c, i) => addCondition(c, i));

    const properties = h('div', { class: 'rows' });
    const addProperty = (m = { from: '', to: '' }, i = properties.children.length) => {
      const from = h('input', { value: m.from, placeholder: 'from: properties path, e.g. format', 'aria-label': 'From', class: 'prop-from' });
      const to = h('input', { value: m.to, placeholder: 'to: signal field, e.g. export_format', 'aria-label': 'To', class: 'prop-to' });
      const row = h('div', { class: 'row' }, from, h('span', { class: 'muted' }, '→'), to, h('button', { type: 'button', class: 'small link', onclick: () => row.remove() }, 'Remove'), fieldError(p(`properties.${i}.from`), p(`properties.${i}.to`), p(`properties.${i}`)));
      properties.append(row);
    };
    (rule.properties ?? []).forEach((m, i) => addProperty(m, i));

    const collect = () => {
      const next = {
        id: id.value.trim(),
        event: { [eventKind.value]: eventName.value },
        signalType: signalType.value === 'custom' ? customType.value.trim() : signalType.value,
        weight: weight.value === '' ? NaN : Number(weight.value),
        enabled: enabled.checked,
        conditions: [...conditions.children].map((row) => conditionFromForm(row.querySelector('.cond-property').value.trim(), row.querySelector('.cond-operator').value, row.querySelector('.cond-value').value)),
        properties: [...properties.children].map((row) => ({ from: row.querySelector('.prop-from').value.trim(), to: row.querySelector('.prop-to').value.trim() })),
      };
      if (description.value.trim()) next.description = description.value.trim();
      return next;
    };

    const field = (label, input, ...paths) => h('div', { class: 'field' }, h('label', { for: input.id }, label), input, fieldError(...paths));
    replace(
      editor,
      card(
        isNew ? 'New rule' : `Edit rule “${rule.id}”`,
        h(
          'form',
          {
            id: 'rule-form',
            novalidate: true, // the API's answer is the one source of validation messages
            onsubmit: (e) => {
              e.preventDefault();
              const next = collect();
              if (isNew) rules.push(next);
              else rules[editing] = next;
              editing = null;
              dirty();
              draw();
            },
          },
          h('div', { class: 'grid-2' },
            field('Rule id', id, p('id')),
            h('div', { class: 'field' }, h('label', { for: 'rule-event' }, 'When the track event name'), h('div', { class: 'inline' }, eventKind, eventName), fieldError(p('event.equals'), p('event.pattern'), p('event'))),
            h('div', { class: 'field' }, h('label', { for: 'rule-signal-type' }, 'It becomes a signal of type'), h('div', { class: 'inline' }, signalType, customType), fieldError(p('signalType'))),
            field('Weight (0–100)', weight, p('weight')),
            field('Description', description, p('description')),
            h('div', { class: 'field checkbox' }, enabled, h('label', { for: 'rule-enabled' }, 'Enabled')),
          ),
          h('h3', {}, 'Only when (all must hold)'),
          conditions,
          h('button', { type: 'button', class: 'small', onclick: () => addCondition() }, 'Add condition'),
          h('h3', {}, 'Keep these properties on the signal'),
          properties,
          h('button', { type: 'button', class: 'small', onclick: () => addProperty() }, 'Add property'),
          h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit', id: 'apply-rule' }, isNew ? 'Add to rules' : 'Apply changes'), h('button', { type: 'button', class: 'link', onclick: () => { editing = null; draw(); } }, 'Cancel')),
          h('p', { class: 'muted small' }, 'Changes are kept here until you save them as a new version.'),
        ),
      ),
    );
  }

  async function save() {
    try {
      const answer = await api('/api/integrations/segment/mappings', { method: 'PUT', body: { rules, reason: 'edited in the web app' } });
      errors = new Map();
      const set = answer.mappings ?? answer;
      version = set.version ?? version;
      rules = structuredClone(set.rules ?? rules);
      replace(status, notice(h('span', { id: 'saved-notice' }, `Saved as version ${version}. New events use it now; replay to apply it to past events.`), 'success'));
      draw();
      replay.offer(version);
    } catch (error) {
      errors = error.fields ?? new Map();
      const firstRule = [...errors.keys()].map((path) => /^rules\.(\d+)/.exec(path)?.[1]).find((i) => i !== undefined);
      if (firstRule !== undefined) editing = Number(firstRule);
      draw();
      const message = errors.size ? 'Not saved: some fields need attention — see the messages next to them.' : error.message;
      replace(status, errorBox({ title: error.title, message, detail: error.detail }), unsavedBar());
    }
  }

  load();
  return () => replay.stop();
}
