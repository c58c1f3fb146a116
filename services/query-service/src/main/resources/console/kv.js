// Key/value rows (credential header templates, extra authorize parameters): add and remove rows.
import {el, uid} from './dom.js';

/** Returns {node, collect} where collect() gives an object of the non-empty rows. */
export function keyValueRows(legend, initial, options = {}) {
  const field = options.field || 'map';
  const keyLabel = options.keyLabel || 'Name';
  const valueLabel = options.valueLabel || 'Value';
  const list = el('div', {class: 'kv-rows'});
  const box = el('fieldset', {class: 'kv', 'data-field': field}, el('legend', {}, legend), list);
  const rows = [];
  function addRow(key = '', value = '') {
    const keyId = uid('k');
    const valueId = uid('v');
    const keyInput = el('input', {id: keyId, type: 'text', value: key, autocomplete: 'off'});
    const valueInput = el('input', {id: valueId, type: 'text', value, autocomplete: 'off'});
    const entry = {keyInput, valueInput};
    const remove = el('button', {type: 'button', class: 'secondary'}, 'Remove');
    const row = el(
      'div',
      {class: 'kv-row'},
      el('div', {class: 'field'}, el('label', {for: keyId}, keyLabel), keyInput),
      el('div', {class: 'field'}, el('label', {for: valueId}, valueLabel), valueInput),
      remove,
    );
    remove.addEventListener('click', () => {
      rows.splice(rows.indexOf(entry), 1);
      row.remove();
    });
    rows.push(entry);
    list.appendChild(row);
    return keyInput;
  }
  for (const [k, v] of Object.entries(initial || {})) addRow(k, v);
  const addButton = el('button', {type: 'button', class: 'secondary'}, options.addText || 'Add row');
  addButton.addEventListener('click', () => addRow().focus());
  box.appendChild(addButton);
  function collect() {
    const out = {};
    for (const {keyInput, valueInput} of rows) {
      const k = keyInput.value.trim();
      if (k) out[k] = valueInput.value;
    }
    return out;
  }
  return {node: box, collect};
}
