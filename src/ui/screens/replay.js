// Replay: preview what re-projecting past events under the current mappings would change, start it, watch it.
import { api } from '../api.js';
import { card, errorBox, h, json, notice, replace, when } from '../dom.js';

const DONE = ['completed', 'failed'];

export function replayPanel() {
  const body = h('div', { id: 'replay' });
  const element = card('Replay past events', h('p', { class: 'muted' }, 'A replay rebuilds the signals and health read models from the stored events with the current mappings, side by side with the live ones, and switches over when it has caught up.'), body);
  let timer = null;

  const preview = h('button', { id: 'replay-preview', onclick: runPreview }, 'Preview the effect');
  const start = h('button', { class: 'primary', id: 'replay-start', onclick: runStart }, 'Start replay');
  const previewBox = h('div', { id: 'replay-preview-result' });
  const progressBox = h('div', { id: 'replay-progress' });
  replace(body, h('div', { class: 'actions' }, preview, start), previewBox, progressBox);

  async function runPreview() {
    preview.disabled = true;
    replace(previewBox, h('p', { class: 'muted' }, 'Computing the preview…'));
    try {
      replace(previewBox, previewView(await api('/api/admin/replay/preview', { method: 'POST', body: {} })));
    } catch (error) {
      replace(previewBox, unavailable(error) ? notice('Replay preview is not available on this service version.', 'warn') : errorBox(error));
    } finally {
      preview.disabled = false;
    }
  }

  async function runStart() {
    if (!window.confirm('Start a replay of all stored events with the current mappings? Live reads keep working while it runs.')) return;
    start.disabled = true;
    try {
      const replay = await api('/api/admin/replay', { method: 'POST', body: {} });
      watch(replay.id);
    } catch (error) {
      start.disabled = false;
      if (error.code === 'replay_in_progress' && error.body?.running) return watch(error.body.running);
      replace(progressBox, unavailable(error) ? notice('Replays are not available on this service version.', 'warn') : errorBox(error));
    }
  }

  function watch(id) {
    stop();
    const tick = async () => {
      try {
        const status = await api(`/api/admin/replay/${encodeURIComponent(id)}`);
        replace(progressBox, progressView(status));
        if (DONE.includes(status.state)) {
          start.disabled = false;
          return;
        }
      } catch (error) {
        replace(progressBox, errorBox(error));
        start.disabled = false;
        return;
      }
      timer = setTimeout(tick, 500);
    };
    tick();
  }

  function stop() {
    if (timer) clearTimeout(timer);
    timer = null;
  }

  return {
    element,
    stop,
    /** After a save: point at the replay. */
    offer: (version) => replace(previewBox, notice(`Version ${version} is saved. Preview or start a replay to apply it to past events.`, 'info')),
  };
}

const unavailable = (error) => error.status === 404 && !error.code;

function previewView(preview) {
  const figures = Object.entries(preview).filter(([, v]) => typeof v === 'number');
  return h(
    'div',
    { class: 'preview' },
    h('h3', {}, 'If you replay now'),
    figures.length
      ? h('dl', { class: 'facts' }, figures.map(([k, v]) => [h('dt', {}, humanise(k)), h('dd', {}, v.toLocaleString())]))
      : null,
    h('details', {}, h('summary', {}, 'Full preview'), json(preview)),
  );
}

function progressView(replay) {
  const state = replay.state ?? replay.status ?? 'running';
  const progress = replay.progress ?? {};
  const done = Number(progress.eventsDone ?? 0);
  const total = Number(progress.eventsTotal ?? 0);
  const percent = Math.round(Number(progress.fraction ?? (DONE.includes(state) ? 1 : 0)) * 100);
  const bar = h('div', { class: 'bar-fill' });
  bar.style.width = `${percent}%`;
  const label = { running: 'Replaying', switching: 'Switching over', completed: 'Completed', failed: 'Failed' }[state] ?? state;
  return h(
    'div',
    { class: 'progress', dataset: { state } },
    h('div', { class: 'progress-head' }, h('strong', { id: 'replay-state' }, `${label} — read models version ${replay.fromVersion} → ${replay.toVersion}`), h('span', { class: 'muted' }, `${done.toLocaleString()} of ${progress.totalIsEstimate ? 'about ' : ''}${total.toLocaleString()} events (${percent}%)`)),
    h('div', { class: 'bar', role: 'progressbar', 'aria-valuenow': percent, 'aria-valuemin': 0, 'aria-valuemax': 100 }, bar),
    h('p', { class: 'small muted' }, `Started ${when(replay.startedAt)}${replay.finishedAt ? `, finished ${when(replay.finishedAt)}` : ''}${progress.eventsPerSecond ? ` · ${progress.eventsPerSecond.toLocaleString()} events/s` : ''}`),
    replay.changes && h('details', {}, h('summary', {}, 'What changed'), json(replay.changes)),
    replay.error && errorBox({ title: 'The replay failed', message: String(replay.error) }),
  );
}

const humanise = (key) => key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
