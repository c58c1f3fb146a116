// Shows a problem+json where it belongs: each errors[].field next to the input carrying that data-field
// (aria-invalid + aria-describedby), everything else in the form's alert region; a 412 offers a reload.
import {el, clear, uid} from './dom.js';

/** An alert region (role=alert) to put at the top of a form or page. */
export function alertRegion() {
  return el('div', {class: 'alert', role: 'alert', 'aria-live': 'assertive', hidden: true});
}

/** Removes every shown error inside scope. */
export function clearErrors(scope) {
  for (const node of scope.querySelectorAll('.field-error')) node.remove();
  for (const input of scope.querySelectorAll('[aria-invalid="true"]')) {
    input.removeAttribute('aria-invalid');
    dropDescribedBy(input, 'err-');
  }
  for (const alert of scope.querySelectorAll('.alert')) {
    clear(alert);
    alert.hidden = true;
    alert.classList.remove('ok');
  }
}

function dropDescribedBy(input, prefix) {
  const ids = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter((id) => id && !id.startsWith(prefix));
  if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
  else input.removeAttribute('aria-describedby');
}

/** Marks one input as invalid with a message shown right after it. */
export function markField(input, message) {
  const id = uid('err');
  const note = el('span', {class: 'field-error', id}, message);
  input.setAttribute('aria-invalid', 'true');
  const described = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
  described.push(id);
  input.setAttribute('aria-describedby', described.join(' '));
  input.insertAdjacentElement('afterend', note);
}

function findInput(scope, name) {
  for (const input of scope.querySelectorAll('[data-field]')) {
    if (input.dataset.field === name) return input;
  }
  return null;
}

/**
 * Shows an error (ApiError or any Error) inside scope. options.onReload: offered on 412.
 * Returns true when at least one field was marked.
 */
export function showProblem(scope, error, options = {}) {
  clearErrors(scope);
  const alert = scope.querySelector('.alert');
  const problem = error && error.problem ? error.problem : {detail: String(error && error.message ? error.message : error)};
  const lines = [];
  let marked = false;
  if (error && error.status === 412) {
    lines.push(el('p', {}, 'This item changed meanwhile. Reload it to see the current version, then make your change again.'));
    if (options.onReload) {
      lines.push(el('button', {type: 'button', class: 'reload', onclick: options.onReload}, 'Reload'));
    }
  } else {
    const unplaced = [];
    for (const item of problem.errors || []) {
      const input = item.field ? findInput(scope, item.field) : null;
      if (input) {
        markField(input, item.message);
        marked = true;
      } else {
        unplaced.push(item);
      }
    }
    const headline = problem.detail || problem.title || 'The request failed.';
    lines.push(el('p', {}, headline));
    if (unplaced.length) {
      lines.push(el('ul', {}, unplaced.map((e) => el('li', {}, e.field ? `${e.field}: ${e.message}` : e.message))));
    }
  }
  if (alert) {
    clear(alert);
    for (const line of lines) alert.appendChild(line);
    alert.hidden = false;
  }
  const first = scope.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
  return marked;
}

/** Shows a short success note in the scope's alert region. */
export function showOk(scope, text) {
  clearErrors(scope);
  const alert = scope.querySelector('.alert');
  if (!alert) return;
  alert.classList.add('ok');
  alert.appendChild(el('p', {}, text));
  alert.hidden = false;
}
