// A form generated from an integration's config schema: text for string, number for int, checkbox for bool,
// textarea for json (checked with JSON.parse before sending), password for secret. Secrets are write-only:
// a stored one reads "***" from the API and is shown as "set" with a Replace button, never as a value.
import {el, uid} from './dom.js';
import {markField} from './errors.js';

export const MASK = '***';

/**
 * schema: [{key, type, required}]; values: the stored config (secrets masked); options.mode: 'defaults'|'override'.
 * Returns {node, collect}: collect() → {config, keptSecrets: [key], invalid: [{input, message}]}.
 */
export function configForm(schema, values, options = {}) {
  const mode = options.mode || 'defaults';
  const rows = [];
  const readers = [];
  const box = el('fieldset', {class: 'config-form'}, el('legend', {}, options.legend || 'Configuration'));
  if (!schema.length) box.appendChild(el('p', {class: 'muted'}, 'This integration has no config fields.'));
  for (const f of schema) {
    const stored = values && Object.prototype.hasOwnProperty.call(values, f.key) ? values[f.key] : undefined;
    const built = fieldFor(f, stored, mode);
    rows.push(built.row);
    readers.push(built.read);
    box.appendChild(built.row);
  }
  function collect() {
    const config = {};
    const keptSecrets = [];
    const invalid = [];
    for (const read of readers) read(config, keptSecrets, invalid);
    return {config, keptSecrets, invalid};
  }
  return {node: box, collect};
}

function labelText(f) {
  return `${f.key} (${f.type}${f.required ? ', required' : ''})`;
}

function fieldFor(f, stored, mode) {
  const id = uid('cfg');
  const fieldName = `config.${f.key}`;
  const hint = mode === 'override' ? 'Empty: the default applies.' : null;
  switch (f.type) {
    case 'int':
      return plainInput(f, id, fieldName, stored, 'number', hint, (text, input, invalid) => {
        const n = Number(text);
        // Only "is it a number" here: whether it is a whole number within range is the server's call (422).
        if (!Number.isFinite(n)) {
          invalid.push({input, message: 'must be a number'});
          return undefined;
        }
        return n;
      });
    case 'bool':
      return checkbox(f, id, fieldName, stored);
    case 'json':
      return jsonArea(f, id, fieldName, stored, hint);
    case 'secret':
      return secretInput(f, id, fieldName, stored, mode);
    default:
      return plainInput(f, id, fieldName, stored, 'text', hint, (text) => text);
  }
}

function describe(input, hintText, id) {
  if (!hintText) return null;
  const hint = el('span', {class: 'hint', id: `${id}-hint`}, hintText);
  input.setAttribute('aria-describedby', hint.id);
  return hint;
}

function plainInput(f, id, fieldName, stored, type, hintText, parse) {
  const input = el('input', {id, type, name: f.key, 'data-field': fieldName, autocomplete: 'off'});
  if (type === 'number') input.setAttribute('inputmode', 'numeric');
  if (stored !== undefined && stored !== null) input.value = String(stored);
  const hint = describe(input, hintText, id);
  const row = el('div', {class: 'field'}, el('label', {for: id}, labelText(f)), input, hint);
  const read = (config, kept, invalid) => {
    const text = input.value;
    if (text === '') return;
    const value = parse(text, input, invalid);
    if (value !== undefined) config[f.key] = value;
  };
  return {row, read};
}

function checkbox(f, id, fieldName, stored) {
  const input = el('input', {id, type: 'checkbox', name: f.key, 'data-field': fieldName});
  input.checked = stored === true;
  let touched = false;
  input.addEventListener('change', () => {
    touched = true;
  });
  const row = el('div', {class: 'field check'}, input, el('label', {for: id}, labelText(f)));
  const read = (config) => {
    // An absent bool stays absent unless someone ticked or unticked it (or it must be there).
    if (touched || stored !== undefined || f.required) config[f.key] = input.checked;
  };
  return {row, read};
}

function jsonArea(f, id, fieldName, stored, hintText) {
  const input = el('textarea', {id, name: f.key, rows: 4, 'data-field': fieldName, spellcheck: 'false'});
  if (stored !== undefined) input.value = JSON.stringify(stored, null, 2);
  const hint = describe(input, hintText || 'Any JSON value, e.g. {"a": 1} or [1, 2].', id);
  const row = el('div', {class: 'field'}, el('label', {for: id}, labelText(f)), input, hint);
  const read = (config, kept, invalid) => {
    if (input.value.trim() === '') return;
    try {
      config[f.key] = JSON.parse(input.value);
    } catch (e) {
      invalid.push({input, message: 'is not valid JSON'});
    }
  };
  return {row, read};
}

function secretInput(f, id, fieldName, stored, mode) {
  const isSet = stored !== undefined && stored !== null;
  const input = el('input', {id, type: 'password', name: f.key, 'data-field': fieldName, autocomplete: 'new-password'});
  const label = el('label', {for: id}, labelText(f));
  const row = el('div', {class: 'field secret'}, label);
  let replacing = !isSet;
  let removed = false;
  if (isSet) {
    const state = el('span', {class: 'badge set', id: `${id}-state`}, 'set');
    const replaceButton = el('button', {type: 'button', class: 'secondary'}, 'Replace');
    const removeButton = el('button', {type: 'button', class: 'secondary'}, mode === 'override' ? 'Remove override' : 'Remove');
    input.hidden = true;
    input.setAttribute('aria-describedby', state.id);
    replaceButton.setAttribute('aria-label', `Replace ${f.key}`);
    removeButton.setAttribute('aria-label', `Remove ${f.key}`);
    replaceButton.addEventListener('click', () => {
      replacing = true;
      removed = false;
      input.hidden = false;
      state.textContent = 'set — type the new value';
      input.focus();
    });
    removeButton.addEventListener('click', () => {
      removed = true;
      replacing = false;
      input.hidden = true;
      input.value = '';
      state.textContent = 'will be removed on save';
    });
    row.appendChild(el('div', {class: 'secret-state'}, state, replaceButton, removeButton));
  }
  row.appendChild(input);
  const read = (config, kept) => {
    if (removed) return;
    if (replacing && input.value !== '') {
      config[f.key] = input.value;
      return;
    }
    if (isSet) kept.push(f.key);
  };
  return {row, read};
}

/** Marks the client-side problems found by collect(); true when there were any. */
export function markInvalid(invalid) {
  for (const {input, message} of invalid) markField(input, message);
  if (invalid.length) invalid[0].input.focus();
  return invalid.length > 0;
}
