// Tiny DOM helpers: every text goes in as text (never as HTML), so data from Segment cannot inject markup.

/** h('button', { class: 'primary', onclick }, 'Save') */
export function h(tag, props = {}, ...children) {
  const svg = ['svg', 'path', 'polyline', 'line', 'circle', 'text', 'g', 'rect', 'title'].includes(tag);
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'value' && !svg) el.value = value;
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const when = (date) => {
  if (!date) return '—';
  const d = new Date(date);
  return isNaN(d) ? String(date) : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
};

export const ago = (date) => {
  if (!date) return 'never';
  const seconds = Math.round((Date.now() - new Date(date).getTime()) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
};

/** A box that says there is nothing here yet, and what would put something here. */
export const emptyState = (title, hint, ...actions) =>
  h('div', { class: 'empty' }, h('div', { class: 'empty-title' }, title), hint && h('p', {}, hint), ...actions);

/** An error in plain words, with the technical detail folded away. */
export const errorBox = (error) =>
  h(
    'div',
    { class: 'alert error', role: 'alert' },
    h('strong', {}, error.title ?? 'Something went wrong'),
    h('p', {}, error.message ?? String(error)),
    error.detail && h('details', {}, h('summary', {}, 'Details'), h('pre', {}, error.detail)),
  );

export const notice = (text, kind = 'info') => h('div', { class: `alert ${kind}`, role: 'status' }, text);

export const badge = (text, kind = 'neutral') => h('span', { class: `badge ${kind}` }, text);

export const json = (value) => h('pre', { class: 'json' }, JSON.stringify(value, null, 2));

export async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Clipboard access can be refused (http, permissions): select-and-copy the old way.
    const area = h('textarea', { class: 'offscreen' }, text);
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  if (button) {
    const label = button.textContent;
    button.textContent = 'Copied';
    setTimeout(() => (button.textContent = label), 1500);
  }
}

export const page = (title, subtitle, ...children) =>
  h('section', { class: 'page' }, h('header', { class: 'page-head' }, h('h1', {}, title), subtitle && h('p', { class: 'lead' }, subtitle)), ...children);

export const card = (title, ...children) => h('section', { class: 'card' }, title && h('h2', {}, title), ...children);
