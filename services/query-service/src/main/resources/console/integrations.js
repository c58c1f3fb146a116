// Integrations: the list (with search) and the create / edit form with its config schema editor.
import {el, labelCells, field, heading, replace, statusBadge, uid} from './dom.js';
import {get, request, seg} from './api.js';
import {alertRegion, clearErrors, showProblem} from './errors.js';
import {keyValueRows} from './kv.js';
import {connectionFields, connectionTokens, deleteButton, globalStatus, providers} from './oauth.js';

export const AUTH_SCHEMES = ['OAUTH2', 'OAUTH1', 'API_KEY', 'BEARER_TOKEN', 'BASIC', 'NO_AUTH'];
const TYPES = ['string', 'int', 'bool', 'json', 'secret'];

/** #/integrations: name, auth scheme, number of mappings, global OAuth token status; a search box. */
export async function integrationsPage(main) {
  const alert = alertRegion();
  const searchId = uid('search');
  const search = el('input', {id: searchId, type: 'search', autocomplete: 'off'});
  const body = el('div', {}, el('p', {}, 'Loading…'));
  const page = el(
    'section',
    {class: 'page'},
    heading('Integrations', el('a', {href: '#/integrations/new', class: 'button'}, 'Create integration')),
    alert,
    el('div', {class: 'field search', role: 'search'}, el('label', {for: searchId}, 'Search integrations'), search),
    body,
  );
  replace(main, page);
  let rows = [];
  function filter() {
    const q = search.value.trim().toLowerCase();
    let shown = 0;
    for (const {tr, text} of rows) {
      tr.hidden = Boolean(q) && !text.includes(q);
      if (!tr.hidden) shown += 1;
    }
    count.textContent = `${shown} of ${rows.length} shown`;
  }
  const count = el('p', {class: 'muted', 'aria-live': 'polite'});
  search.addEventListener('input', filter);
  async function load() {
    const integrations = await get('/v1/integrations');
    const names = [...new Set(integrations.map((i) => i.oauth_connection).filter(Boolean))];
    const health = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await connectionTokens(n)])));
    const details = await Promise.all(
      integrations.map(async (i) => {
        const mappings = await get(`/v1/integrations/${seg(i.name)}/mappings`).catch(() => null);
        const h = i.oauth_connection ? health[i.oauth_connection] : null;
        const reauth = h ? (h.tokens || []).filter((t) => t.integration_name === i.name && t.status === 'needs_reauth').length : 0;
        return {i, mappings, oauth: globalStatus(h), reauth};
      }),
    );
    rows = details.map(({i, mappings, oauth, reauth}) => {
      const tr = el(
        'tr',
        {'data-integration': i.name},
        el('td', {}, el('a', {href: `#/integrations/${seg(i.name)}/configuration`}, i.name), i.description ? el('div', {class: 'muted'}, i.description) : null),
        el('td', {}, i.auth_scheme),
        el('td', {class: 'num'}, mappings ? String(mappings.length) : '?'),
        el('td', {}, i.oauth_connection ? el('span', {}, `${i.oauth_connection} `, oauth ? statusBadge(oauth) : null, reauth ? el('span', {class: 'reauth'}, ` ${reauth} org${reauth > 1 ? 's' : ''} need reauth`) : null) : el('span', {class: 'muted'}, '—')),
        el('td', {class: 'actions'}, el('a', {href: `#/integrations/${seg(i.name)}/edit`, class: 'button secondary', 'aria-label': `Edit ${i.name}`}, 'Edit'), deleteButton(`/v1/integrations/${seg(i.name)}`, i, page, load)),
      );
      return {tr, text: `${i.name} ${i.description || ''} ${i.auth_scheme} ${i.oauth_connection || ''}`.toLowerCase()};
    });
    const table = el(
      'table',
      {class: 'list'},
      el('caption', {class: 'visually-hidden'}, 'Integrations'),
      el('thead', {}, el('tr', {}, ['Name', 'Auth scheme', 'Mappings', 'OAuth (global token)', 'Actions'].map((h) => el('th', {scope: 'col'}, h)))),
      el('tbody', {}, rows.map((r) => r.tr)),
    );
    labelCells(table);
    replace(body, integrations.length ? [count, table] : el('p', {}, 'No integrations yet. Create the first one.'));
    filter();
  }
  try {
    await load();
  } catch (e) {
    showProblem(page, e);
  }
  return {events: ['IntegrationCreated', 'IntegrationUpdated', 'IntegrationDeleted', 'MappingUpserted', 'MappingDeleted', 'TokenIssued', 'TokenRefreshed', 'TokenRefreshFailed', 'TokenRevoked'], refresh: () => load().catch(() => {})};
}

/** The config schema editor: typed fields, required, reorder up/down, remove. Returns {node, collect}. */
export function schemaEditor(initial) {
  const fields = (initial || []).map((f) => ({key: f.key, type: f.type, required: Boolean(f.required)}));
  const list = el('ol', {class: 'schema-rows'});
  const box = el('fieldset', {class: 'schema', 'data-field': 'config_schema'}, el('legend', {}, 'Config schema'), list);
  // Rows are rebuilt on reorder; read the inputs back into `fields` first so nothing typed is lost.
  let inputs = [];
  function sync() {
    inputs.forEach(({key, type, required}, i) => {
      fields[i] = {key: key.value, type: type.value, required: required.checked};
    });
  }
  function render(focus) {
    replace(list);
    inputs = [];
    fields.forEach((f, i) => {
      const keyId = uid('key');
      const typeId = uid('type');
      const reqId = uid('req');
      const key = el('input', {id: keyId, type: 'text', value: f.key, 'data-field': `config_schema[${i}].key`, autocomplete: 'off'});
      const type = el('select', {id: typeId, 'data-field': `config_schema[${i}].type`}, TYPES.map((t) => el('option', {value: t}, t)));
      type.value = f.type;
      const required = el('input', {id: reqId, type: 'checkbox', 'data-field': `config_schema[${i}].required`});
      required.checked = f.required;
      inputs.push({key, type, required});
      const name = f.key || `field ${i + 1}`;
      const up = el('button', {type: 'button', class: 'secondary', 'aria-label': `Move ${name} up`, disabled: i === 0}, '↑ Up');
      const down = el('button', {type: 'button', class: 'secondary', 'aria-label': `Move ${name} down`, disabled: i === fields.length - 1}, '↓ Down');
      const remove = el('button', {type: 'button', class: 'danger', 'aria-label': `Remove ${name}`}, 'Remove');
      up.addEventListener('click', () => move(i, -1, 'up'));
      down.addEventListener('click', () => move(i, 1, 'down'));
      remove.addEventListener('click', () => {
        sync();
        fields.splice(i, 1);
        render();
      });
      list.appendChild(
        el(
          'li',
          {class: 'schema-row'},
          el('div', {class: 'field'}, el('label', {for: keyId}, 'Key'), key),
          el('div', {class: 'field'}, el('label', {for: typeId}, 'Type'), type),
          el('div', {class: 'field check'}, required, el('label', {for: reqId}, 'Required')),
          el('div', {class: 'row-actions'}, up, down, remove),
        ),
      );
      if (focus && focus.index === i) {
        const target = focus.what === 'key' ? key : focus.what === 'up' ? (i === 0 ? down : up) : i === fields.length - 1 ? up : down;
        target.focus();
      }
    });
    if (!fields.length) list.appendChild(el('li', {class: 'muted'}, 'No fields yet.'));
  }
  function move(i, delta, what) {
    sync();
    const j = i + delta;
    if (j < 0 || j >= fields.length) return;
    [fields[i], fields[j]] = [fields[j], fields[i]];
    render({index: j, what});
  }
  const add = el('button', {type: 'button', class: 'secondary'}, 'Add field');
  add.addEventListener('click', () => {
    sync();
    fields.push({key: '', type: 'string', required: false});
    render({index: fields.length - 1, what: 'key'});
  });
  box.appendChild(add);
  render();
  return {
    node: box,
    collect() {
      sync();
      return fields.map((f) => ({key: f.key.trim(), type: f.type, required: f.required}));
    },
  };
}

/** #/integrations/new and #/integrations/<name>/edit. */
export async function integrationFormPage(main, name) {
  const editing = Boolean(name);
  const alert = alertRegion();
  const form = el('form', {class: 'page', novalidate: true});
  replace(main, form);
  replace(form, el('p', {}, 'Loading…'));
  let existing = null;
  let connections = [];
  let catalogue = [];
  try {
    [existing, connections, catalogue] = await Promise.all([editing ? get(`/v1/integrations/${seg(name)}`) : null, get('/v1/oauth/connections'), providers()]);
  } catch (e) {
    replace(form, heading('Integration'), alert);
    showProblem(form, e);
    return null;
  }
  const i = existing || {auth_scheme: 'OAUTH2', config_schema: [], credential_headers: {}};

  const nameField = field('Name', el('input', {type: 'text', value: i.name || '', autocomplete: 'off', required: true}), 'name', 'Letters, digits, _ . - (1–128). Cannot be changed later.');
  if (editing) nameField.input.readOnly = true;
  const description = field('Description', el('input', {type: 'text', value: i.description || '', autocomplete: 'off'}), 'description');
  const schemeId = uid('scheme');
  const scheme = el('select', {id: schemeId, 'data-field': 'auth_scheme', disabled: editing}, AUTH_SCHEMES.map((s) => el('option', {value: s}, s)));
  scheme.value = i.auth_scheme;
  const schemeRow = el('div', {class: 'field'}, el('label', {for: schemeId}, 'Auth scheme'), scheme);
  const entityIdName = field('Entity id name (what an org\u2019s external id is called, e.g. Tenant ID)', el('input', {type: 'text', value: i.entity_id_name || '', autocomplete: 'off'}), 'entity_id_name');
  const proxyKey = field('Proxy base URL key (config key with the provider\u2019s base URL)', el('input', {type: 'text', value: i.proxy_base_url_key || '', autocomplete: 'off', placeholder: 'base_url'}), 'proxy_base_url_key');
  const schema = schemaEditor(i.config_schema);

  // OAuth connection: an existing one, one from the provider catalogue, or one created here.
  const connId = uid('conn');
  const connSelect = el('select', {id: connId, 'data-field': 'oauth_connection'}, el('option', {value: ''}, '— none —'), connections.map((c) => el('option', {value: c.connection_name}, `${c.connection_name} (${c.grant_type})`)), el('option', {value: '__new__'}, 'Create a new connection here…'));
  connSelect.value = i.oauth_connection || '';
  const inlineBox = el('fieldset', {class: 'inline-connection', hidden: true}, el('legend', {}, 'New OAuth connection'));
  let inline = null;
  connSelect.addEventListener('change', () => {
    if (connSelect.value === '__new__') {
      if (!inline) {
        inline = connectionFields(null, catalogue, {prefix: 'oauth.'});
        inlineBox.appendChild(inline.node);
      }
      inlineBox.hidden = false;
    } else {
      inlineBox.hidden = true;
    }
  });
  const oauthBox = el('fieldset', {class: 'oauth'}, el('legend', {}, 'OAuth'), el('div', {class: 'field'}, el('label', {for: connId}, 'OAuth connection'), connSelect), inlineBox);
  function showScheme() {
    oauthBox.hidden = !(scheme.value === 'OAUTH2' || scheme.value === 'OAUTH1');
  }
  scheme.addEventListener('change', showScheme);
  showScheme();
  const headers = keyValueRows('Credential header templates', i.credential_headers || {}, {field: 'credential_headers', keyLabel: 'Header', valueLabel: 'Template (e.g. Bearer {api_key})', addText: 'Add header'});

  const save = el('button', {type: 'submit'}, editing ? 'Save integration' : 'Create integration');
  replace(
    form,
    heading(editing ? `Edit ${name}` : 'Create integration'),
    alert,
    nameField.row,
    description.row,
    schemeRow,
    entityIdName.row,
    schema.node,
    oauthBox,
    headers.node,
    proxyKey.row,
    el('div', {class: 'actions'}, save, el('a', {href: editing ? `#/integrations/${seg(name)}/configuration` : '#/integrations', class: 'button secondary'}, 'Cancel')),
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = {
      description: description.input.value,
      config_schema: schema.collect(),
      credential_headers: headers.collect(),
    };
    if (entityIdName.input.value.trim()) body.entity_id_name = entityIdName.input.value.trim();
    if (proxyKey.input.value.trim()) body.proxy_base_url_key = proxyKey.input.value.trim();
    const oauthScheme = scheme.value === 'OAUTH2' || scheme.value === 'OAUTH1';
    try {
      let connection = oauthScheme ? connSelect.value || null : null;
      if (connection === '__new__') {
        const created = await request('POST', '/v1/oauth/connections', {body: inline.collect()});
        connection = created.data.connection_name;
        // Created: from now on it is one of the list, so a retry after another error does not create it twice.
        connSelect.insertBefore(el('option', {value: connection}, connection), connSelect.lastChild);
        connSelect.value = connection;
        inlineBox.hidden = true;
      }
      if (editing) {
        body.oauth_connection = connection;
        await request('PATCH', `/v1/integrations/${seg(name)}`, {body, ifMatch: existing.version});
        window.location.hash = `#/integrations/${seg(name)}/configuration`;
      } else {
        body.name = nameField.input.value.trim();
        body.auth_scheme = scheme.value;
        if (connection) body.oauth_connection = connection;
        const created = await request('POST', '/v1/integrations', {body});
        window.location.hash = `#/integrations/${seg(created.data.name)}/configuration`;
      }
    } catch (e) {
      // An inline connection's errors name its own fields (connection_name...), shown there with the oauth. prefix.
      if (e.problem && e.problem.errors && connSelect.value === '__new__') {
        e.problem.errors = e.problem.errors.map((x) => ({...x, field: `oauth.${x.field}`}));
      }
      showProblem(form, e, {onReload: () => integrationFormPage(main, name)});
    }
  });
  return null;
}
