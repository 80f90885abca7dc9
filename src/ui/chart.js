// A small line chart of a score over time, as inline SVG (no library).
import { h } from './dom.js';

/** points: [{ at, score }] with scores 0..100. */
export function scoreChart(points, { width = 640, height = 180 } = {}) {
  const pad = { left: 34, right: 12, top: 12, bottom: 26 };
  const sorted = [...points].filter((p) => Number.isFinite(p.score)).sort((a, b) => new Date(a.at) - new Date(b.at));
  const svg = h('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Health score history' });
  const x0 = sorted.length ? new Date(sorted[0].at).getTime() : 0;
  const x1 = sorted.length ? new Date(sorted[sorted.length - 1].at).getTime() : 1;
  const x = (t) => pad.left + (x1 === x0 ? (width - pad.left - pad.right) / 2 : ((t - x0) / (x1 - x0)) * (width - pad.left - pad.right));
  const y = (score) => pad.top + (1 - score / 100) * (height - pad.top - pad.bottom);
  for (const level of [0, 25, 50, 75, 100]) {
    svg.append(h('line', { x1: pad.left, x2: width - pad.right, y1: y(level), y2: y(level), class: 'grid' }));
    svg.append(h('text', { x: pad.left - 6, y: y(level) + 4, class: 'axis', 'text-anchor': 'end' }, String(level)));
  }
  if (sorted.length) {
    const coords = sorted.map((p) => `${x(new Date(p.at).getTime()).toFixed(1)},${y(p.score).toFixed(1)}`).join(' ');
    svg.append(h('polyline', { points: coords, class: 'line' }));
    for (const p of sorted) {
      svg.append(h('circle', { cx: x(new Date(p.at).getTime()), cy: y(p.score), r: 3.5, class: 'point' }, h('title', {}, `${Math.round(p.score)} — ${new Date(p.at).toLocaleString()}`)));
    }
    const label = (t, anchor) => h('text', { x: x(t), y: height - 6, class: 'axis', 'text-anchor': anchor }, new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }));
    svg.append(label(x0, sorted.length > 1 ? 'start' : 'middle'));
    if (sorted.length > 1) svg.append(label(x1, 'end'));
  }
  return svg;
}
