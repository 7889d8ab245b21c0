// Tiny DOM helpers: every text goes in through textContent (never innerHTML), so nothing from the
// gateway can become markup.
const SVG_NS = 'http://www.w3.org/2000/svg';

/** `el('li', { class: 'x', 'data-model': id }, 'text', child)` */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  for (const child of children) append(node, child);
  return node;
}

export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  for (const child of children) append(node, child);
  return node;
}

function setAttrs(node, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(node, child) {
  if (child === undefined || child === null || child === false) return;
  node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
}

/** "12 s", "3 min 5 s" */
export function duration(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}

export function ago(ms) {
  return ms < 1000 ? 'just now' : `${duration(ms)} ago`;
}

export function clockTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

export function percent(ratio, digits = 0) {
  return ratio === null || ratio === undefined ? '–' : `${(ratio * 100).toFixed(digits)} %`;
}

export function usd(value) {
  if (value === null || value === undefined) return '–';
  return value !== 0 && Math.abs(value) < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}
