// Builds DOM nodes from data without ever parsing markup: every text goes through textContent,
// so a hostile name stays text. (The CSP forbids inline script and style; this keeps data out of HTML too.)

let counter = 0;

/** A fresh id for pairing a label with its input. */
export function uid(prefix = 'f') {
  counter += 1;
  return `${prefix}-${counter}`;
}

/**
 * el('button', {type: 'button', class: 'x', onclick: fn}, 'text', childNode)
 * Attributes starting with "on" become listeners; `class` and `dataset`-style keys are set as attributes;
 * boolean true sets an empty attribute, false/null/undefined leave it out.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'value' && 'value' in node) {
      node.value = value;
    } else if (key === 'checked') {
      node.checked = Boolean(value);
    } else if (value === true) {
      node.setAttribute(key, '');
    } else {
      node.setAttribute(key, String(value));
    }
  }
  append(node, children);
  return node;
}

/** Appends strings (as text), nodes and nested arrays; skips null/false. */
export function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
  return node;
}

/** Removes every child. */
export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** Replaces the children of node with the given ones. */
export function replace(node, ...children) {
  clear(node);
  return append(node, children);
}

/** A labelled input row: returns {row, input}. The input carries data-field for server error mapping. */
export function field(labelText, input, field, hint) {
  const id = input.id || uid('in');
  input.id = id;
  if (field) input.dataset.field = field;
  const label = el('label', {for: id}, labelText);
  const hintNode = hint ? el('span', {class: 'hint', id: `${id}-hint`}, hint) : null;
  if (hintNode) input.setAttribute('aria-describedby', hintNode.id);
  const row = el('div', {class: 'field'}, label, input, hintNode);
  return {row, input, label};
}

/** A short, readable local time for an ISO string (the ISO string itself when unparseable). */
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

const STATUS_TEXT = {active: 'active', expired: 'expired', needs_reauth: 'needs reauth', missing: 'missing'};

/** A credential status badge: active, expired, needs reauth, missing (or the status as given). */
export function statusBadge(status) {
  const known = Object.prototype.hasOwnProperty.call(STATUS_TEXT, status);
  const text = known ? STATUS_TEXT[status] : String(status || 'unknown');
  return el('span', {class: `badge status-${known ? status : 'unknown'}`, 'data-status': status || 'unknown'}, text);
}

/** A page heading with optional action nodes beside it. */
export function heading(text, ...actions) {
  return el('div', {class: 'page-head'}, el('h1', {tabindex: '-1'}, text), el('div', {class: 'actions'}, actions));
}

/** Gives every body cell of a table its column's heading as data-label (shown above the value on narrow screens). */
export function labelCells(table) {
  const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
  for (const row of table.querySelectorAll('tbody tr')) {
    [...row.children].forEach((cell, k) => {
      if (heads[k]) cell.setAttribute('data-label', heads[k]);
    });
  }
  return table;
}
