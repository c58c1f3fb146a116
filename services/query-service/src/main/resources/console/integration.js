// One integration: tabs Configuration (defaults), Mappings (orgs, overrides, credential status, connect),
// History (its events, already masked by the API).
import {el, labelCells, field, heading, replace, statusBadge, uid, when} from './dom.js';
import {get, request, seg} from './api.js';
import {alertRegion, clearErrors, showOk, showProblem} from './errors.js';
import {configForm, markInvalid} from './config-form.js';
import {deleteButton} from './oauth.js';
import {navigate, openFromClick, pollUntil} from './flow.js';

const TABS = [
  ['configuration', 'Configuration'],
  ['mappings', 'Mappings'],
  ['history', 'History'],
];

const isOAuth = (i) => i.auth_scheme === 'OAUTH2' || i.auth_scheme === 'OAUTH1';

/** The clear values of secrets the person kept ("set", not replaced): a replace-all PUT must send them again. */
async function keptValues(path, keys) {
  if (!keys.length) return {};
  const view = await get(path);
  const out = {};
  for (const key of keys) {
    if (view && view.config && Object.prototype.hasOwnProperty.call(view.config, key)) out[key] = view.config[key];
  }
  return out;
}

/** #/integrations/<name>/<tab>. */
export async function integrationPage(main, name, tab) {
  let integration;
  const alert = alertRegion();
  const shell = el('section', {class: 'page'});
  replace(main, shell);
  replace(shell, el('p', {}, 'Loading…'));
  try {
    integration = await get(`/v1/integrations/${seg(name)}`);
  } catch (e) {
    replace(shell, heading(name), alert);
    showProblem(shell, e);
    return null;
  }
  const tablist = el('div', {role: 'tablist', 'aria-label': `${name} sections`, class: 'tabs'});
  const panel = el('div', {role: 'tabpanel', class: 'tabpanel', tabindex: '0'});
  const buttons = TABS.map(([id, text]) => {
    const b = el('button', {type: 'button', role: 'tab', id: `tab-${id}`, 'aria-controls': 'tabpanel', 'aria-selected': 'false', tabindex: '-1'}, text);
    b.addEventListener('click', () => select(id, false));
    b.addEventListener('keydown', (event) => {
      const index = TABS.findIndex(([t]) => t === id);
      let next = null;
      if (event.key === 'ArrowRight') next = (index + 1) % TABS.length;
      else if (event.key === 'ArrowLeft') next = (index - 1 + TABS.length) % TABS.length;
      else if (event.key === 'Home') next = 0;
      else if (event.key === 'End') next = TABS.length - 1;
      if (next !== null) {
        event.preventDefault();
        select(TABS[next][0], true);
      }
    });
    tablist.appendChild(b);
    return b;
  });
  panel.id = 'tabpanel';
  const meta = el(
    'p',
    {class: 'meta'},
    `${integration.auth_scheme}`,
    integration.oauth_connection ? ` · OAuth connection ${integration.oauth_connection}` : '',
    integration.entity_id_name ? ` · entity id: ${integration.entity_id_name}` : '',
    ' · version ',
    el('span', {class: 'version'}, String(integration.version)),
  );
  replace(
    shell,
    heading(name, el('a', {href: `#/integrations/${seg(name)}/edit`, class: 'button secondary'}, 'Edit integration')),
    integration.description ? el('p', {}, integration.description) : null,
    meta,
    tablist,
    panel,
  );
  let current = null;
  let live = null;
  async function select(id, focus) {
    current = id;
    buttons.forEach((b, k) => {
      const on = TABS[k][0] === id;
      b.setAttribute('aria-selected', on ? 'true' : 'false');
      b.tabIndex = on ? 0 : -1;
      if (on) {
        panel.setAttribute('aria-labelledby', b.id);
        if (focus) b.focus();
      }
    });
    const hash = `#/integrations/${seg(name)}/${id}`;
    if (window.location.hash !== hash) history.replaceState(null, '', hash);
    const render = id === 'mappings' ? mappingsTab : id === 'history' ? historyTab : configurationTab;
    live = await render(panel, integration, (fresh) => {
      integration = fresh;
      meta.querySelector('.version').textContent = String(fresh.version);
    });
  }
  await select(TABS.some(([t]) => t === tab) ? tab : 'configuration', false);
  return {
    events: ['IntegrationUpdated', 'IntegrationDefaultsSet', 'IntegrationDeleted', 'MappingUpserted', 'MappingDeleted', 'TokenIssued', 'TokenRefreshed', 'TokenRefreshFailed', 'TokenRevoked', 'CredentialsSet'],
    refresh: () => (live && live.refresh ? live.refresh() : null),
    matches: (event) => !event.integration_name || event.integration_name === name,
    current: () => current,
  };
}

async function configurationTab(panel, integration, update) {
  const form = el('form', {novalidate: true, 'aria-label': 'Defaults'});
  const alert = alertRegion();
  const notice = el('div', {class: 'notice', hidden: true, role: 'status'});
  function render(i) {
    const generated = configForm(i.config_schema, i.defaults || {}, {legend: 'Defaults every organization gets'});
    const save = el('button', {type: 'submit'}, 'Save defaults');
    replace(form, alert, notice, el('p', {class: 'muted'}, 'Secret fields are write-only: a stored secret shows as "set"; use Replace to change it.'), generated.node, el('div', {class: 'actions'}, save));
    form.onsubmit = async (event) => {
      event.preventDefault();
      clearErrors(form);
      const {config, keptSecrets, invalid} = generated.collect();
      if (invalid.length) {
        showProblem(form, new Error('Some fields need fixing before saving.'));
        markInvalid(invalid);
        return;
      }
      try {
        Object.assign(config, await keptValues(`/v1/integrations/${seg(i.name)}/global`, keptSecrets));
        const {data} = await request('PUT', `/v1/integrations/${seg(i.name)}/defaults`, {body: {config}, ifMatch: i.version});
        update(data);
        render(data);
        showOk(form, 'Defaults saved.');
      } catch (e) {
        showProblem(form, e, {onReload: reload});
      }
    };
  }
  async function reload() {
    try {
      const fresh = await get(`/v1/integrations/${seg(integration.name)}`);
      update(fresh);
      integration = fresh;
      render(fresh);
    } catch (e) {
      showProblem(form, e);
    }
  }
  render(integration);
  replace(panel, form);
  return {
    // A form being edited is not rebuilt under the person's hands: say it changed and offer to reload.
    refresh: async () => {
      const fresh = await get(`/v1/integrations/${seg(integration.name)}`).catch(() => null);
      if (fresh && fresh.version !== integration.version) {
        const button = el('button', {type: 'button', class: 'reload'}, 'Reload');
        button.addEventListener('click', reload);
        replace(notice, 'These defaults changed meanwhile. ', button);
        notice.hidden = false;
      }
    },
  };
}

async function credentialStatus(i, org) {
  if (isOAuth(i)) {
    const view = await get(`/v1/orgs/${seg(org)}/integrations/${seg(i.name)}`);
    return view && view.oauth ? view.oauth.status : 'missing';
  }
  const {status} = await request('GET', `/v1/orgs/${seg(org)}/integrations/${seg(i.name)}/credentials`, {allow: [409]});
  return status === 200 ? 'active' : 'missing';
}

const SCHEME_FIELDS = {
  API_KEY: [['api_key', 'API key', 'password']],
  BEARER_TOKEN: [['token', 'Token', 'password']],
  BASIC: [
    ['username', 'Username', 'text'],
    ['password', 'Password', 'password'],
  ],
  NO_AUTH: [],
};

async function mappingsTab(panel, integration) {
  const i = integration;
  const alert = alertRegion();
  const searchId = uid('msearch');
  const search = el('input', {id: searchId, type: 'search', autocomplete: 'off'});
  const tableBox = el('div', {}, el('p', {}, 'Loading…'));
  const editor = el('div', {class: 'editor'});
  const addButton = el('button', {type: 'button'}, 'Add mapping');
  const scope = el('div', {}, alert, el('div', {class: 'toolbar'}, el('div', {class: 'field search', role: 'search'}, el('label', {for: searchId}, 'Search by organization or entity id'), search), addButton), tableBox, editor);
  replace(panel, scope);
  let rows = [];
  let mappings = [];
  const pending = new Set();
  search.addEventListener('input', filter);
  addButton.addEventListener('click', () => openEditor(null));

  function filter() {
    const q = search.value.trim().toLowerCase();
    for (const {tr, text} of rows) tr.hidden = Boolean(q) && !text.includes(q);
  }

  async function load() {
    mappings = await get(`/v1/integrations/${seg(i.name)}/mappings`);
    const statuses = await Promise.all(mappings.map((m) => credentialStatus(i, m.organization_id).catch(() => 'unknown')));
    rows = mappings.map((m, k) => {
      const status = statuses[k];
      const overrides = Object.entries(m.config || {}).map(([key, value]) => el('li', {}, `${key}: `, value === '***' ? el('span', {class: 'badge set'}, 'set') : JSON.stringify(value)));
      const actions = el('td', {class: 'actions'});
      const edit = el('button', {type: 'button', class: 'secondary', 'aria-label': `Edit mapping of ${m.organization_id}`}, 'Edit');
      edit.addEventListener('click', () => openEditor(m));
      actions.appendChild(edit);
      if (i.auth_scheme !== 'NO_AUTH') {
        const connectText = status === 'missing' ? 'Connect' : status === 'active' ? null : 'Reconnect';
        if (connectText || !isOAuth(i)) {
          const c = el('button', {type: 'button', 'aria-label': `${connectText || 'Replace credentials'} ${m.organization_id}`}, connectText || 'Replace credentials');
          c.addEventListener('click', () => connect(m, status));
          actions.appendChild(c);
        }
        if (i.auth_scheme === 'OAUTH2' && status !== 'missing') {
          const r = el('button', {type: 'button', class: 'secondary', 'aria-label': `Refresh now ${m.organization_id}`}, 'Refresh now');
          r.addEventListener('click', () => refreshNow(m));
          actions.appendChild(r);
        }
      }
      actions.appendChild(deleteButton(`/v1/integrations/${seg(i.name)}/mappings/${seg(m.organization_id)}`, m, scope, load));
      const tr = el(
        'tr',
        {'data-org': m.organization_id},
        el('td', {}, m.organization_id),
        el('td', {}, m.entity_id || ''),
        el('td', {}, m.entity_name || ''),
        el('td', {}, overrides.length ? el('ul', {class: 'plain'}, overrides) : el('span', {class: 'muted'}, 'none')),
        el('td', {class: 'credential'}, i.auth_scheme === 'NO_AUTH' ? el('span', {class: 'muted'}, 'no auth') : statusBadge(status), pending.has(m.organization_id) ? el('span', {class: 'muted'}, ' waiting for the provider…') : null),
        actions,
      );
      return {tr, text: `${m.organization_id} ${m.entity_id || ''} ${m.entity_name || ''}`.toLowerCase()};
    });
    const table = el(
      'table',
      {class: 'list'},
      el('caption', {class: 'visually-hidden'}, `Mappings of ${i.name}`),
      el('thead', {}, el('tr', {}, ['Organization', i.entity_id_name || 'Entity id', 'Entity name', 'Overrides', 'Credentials', 'Actions'].map((h) => el('th', {scope: 'col'}, h)))),
      el('tbody', {}, rows.map((r) => r.tr)),
    );
    labelCells(table);
    replace(tableBox, mappings.length ? table : el('p', {}, 'No mappings yet.'));
    filter();
  }

  function openEditor(m) {
    const editing = Boolean(m);
    const form = el('form', {novalidate: true, class: 'card', 'aria-labelledby': 'map-h'});
    const formAlert = alertRegion();
    const org = field('Organization id', el('input', {type: 'text', value: m ? m.organization_id : '', autocomplete: 'off', readonly: editing}), 'org_id');
    const entityId = field(i.entity_id_name || 'Entity id', el('input', {type: 'text', value: m ? m.entity_id || '' : '', autocomplete: 'off'}), 'entity_id');
    const entityName = field('Entity name', el('input', {type: 'text', value: m ? m.entity_name || '' : '', autocomplete: 'off'}), 'entity_name');
    const tokenId = field('Org-specific OAuth token id (optional)', el('input', {type: 'text', value: m ? m.oauth_token_id || '' : '', autocomplete: 'off'}), 'oauth_token_id', 'Empty: the org uses its own token once connected, else the connection\u2019s global token.');
    const overrides = configForm(i.config_schema, m ? m.config || {} : {}, {mode: 'override', legend: 'Overrides for this organization'});
    const save = el('button', {type: 'submit'}, editing ? 'Save mapping' : 'Add mapping');
    const cancel = el('button', {type: 'button', class: 'secondary'}, 'Cancel');
    cancel.addEventListener('click', () => replace(editor));
    replace(form, el('h2', {id: 'map-h'}, editing ? `Mapping of ${m.organization_id}` : 'New mapping'), formAlert, org.row, entityId.row, entityName.row, isOAuth(i) ? tokenId.row : null, overrides.node, el('div', {class: 'actions'}, save, cancel));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form);
      const orgId = org.input.value.trim();
      const {config, keptSecrets, invalid} = overrides.collect();
      if (invalid.length) {
        showProblem(form, new Error('Some fields need fixing before saving.'));
        markInvalid(invalid);
        return;
      }
      try {
        Object.assign(config, await keptValues(`/v1/orgs/${seg(orgId)}/integrations/${seg(i.name)}`, keptSecrets));
        const body = {entity_id: entityId.input.value, entity_name: entityName.input.value || null, config, oauth_token_id: tokenId.input.value.trim() || null};
        await request('PUT', `/v1/integrations/${seg(i.name)}/mappings/${seg(orgId)}`, {body, ifMatch: editing ? m.version : undefined});
        replace(editor);
        await load();
        showOk(scope, `Mapping of ${orgId} saved.`);
      } catch (e) {
        showProblem(form, e, {
          onReload: async () => {
            await load();
            openEditor(mappings.find((x) => x.organization_id === orgId) || null);
          },
        });
      }
    });
    replace(editor, form);
    (editing ? entityId.input : org.input).focus();
  }

  async function connect(m, before) {
    const org = m.organization_id;
    clearErrors(scope);
    if (isOAuth(i)) {
      const w = openFromClick();
      try {
        const {data} = await request('POST', `/v1/orgs/${seg(org)}/integrations/${seg(i.name)}/connect`, {body: {auth_scheme: i.auth_scheme, data: {}}});
        navigate(w, data.redirect_url);
        pending.add(org);
        await load();
        const ok = await pollUntil(async () => (await credentialStatus(i, org)) === 'active' && (before !== 'active'));
        pending.delete(org);
        await load();
        if (ok) showOk(scope, `${org}: connected.`);
        else showProblem(scope, new Error(`${org}: still not connected; try again.`));
      } catch (e) {
        pending.delete(org);
        if (w && !w.closed) w.close();
        showProblem(scope, e);
      }
      return;
    }
    // API key, bearer token, basic: a small write-only form.
    const form = el('form', {novalidate: true, class: 'card', 'aria-labelledby': 'cred-h'});
    const formAlert = alertRegion();
    const inputs = SCHEME_FIELDS[i.auth_scheme].map(([key, label, type]) => ({key, ...field(label, el('input', {type, autocomplete: type === 'password' ? 'new-password' : 'off'}), `data.${key}`)}));
    const cancel = el('button', {type: 'button', class: 'secondary'}, 'Cancel');
    cancel.addEventListener('click', () => replace(editor));
    replace(form, el('h2', {id: 'cred-h'}, `Credentials of ${org}`), formAlert, inputs.map((x) => x.row), el('div', {class: 'actions'}, el('button', {type: 'submit'}, 'Save credentials'), cancel));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form);
      const data = Object.fromEntries(inputs.map((x) => [x.key, x.input.value]));
      try {
        await request('POST', `/v1/orgs/${seg(org)}/integrations/${seg(i.name)}/connect`, {body: {auth_scheme: i.auth_scheme, data}});
        replace(editor);
        await load();
        showOk(scope, `${org}: credentials saved.`);
      } catch (e) {
        showProblem(form, e);
      }
    });
    replace(editor, form);
    if (inputs.length) inputs[0].input.focus();
  }

  async function refreshNow(m) {
    const org = m.organization_id;
    try {
      const {status, data} = await request('POST', `/v1/orgs/${seg(org)}/integrations/${seg(i.name)}/refresh`, {allow: [409]});
      await load();
      if (status === 200) showOk(scope, `${org}: token refreshed, expires ${when(data && data.expires_at)}.`);
      else showProblem(scope, {problem: data || {detail: `${org}: the provider refused the refresh; reconnect.`}});
    } catch (e) {
      showProblem(scope, e);
    }
  }

  try {
    await load();
  } catch (e) {
    showProblem(scope, e);
  }
  return {refresh: () => load().catch(() => {})};
}

async function historyTab(panel, integration) {
  const alert = alertRegion();
  const list = el('ol', {class: 'timeline'});
  replace(panel, el('div', {}, alert, list));
  async function load() {
    const events = await get(`/v1/integrations/${seg(integration.name)}/history`);
    replace(
      list,
      events.map((e) =>
        el(
          'li',
          {class: 'event'},
          el('div', {class: 'event-head'}, el('strong', {}, e.type), ` · version ${e.version} · `, el('time', {datetime: e.at}, when(e.at)), e.org_id ? ` · org ${e.org_id}` : ''),
          e.data && Object.keys(e.data).length ? el('pre', {class: 'data', tabindex: '0', 'aria-label': `${e.type} data`}, JSON.stringify(e.data, null, 2)) : null,
        ),
      ),
    );
    if (!events.length) list.appendChild(el('li', {class: 'muted'}, 'No events.'));
  }
  try {
    await load();
  } catch (e) {
    showProblem(panel, e);
  }
  return {refresh: () => load().catch(() => {})};
}
