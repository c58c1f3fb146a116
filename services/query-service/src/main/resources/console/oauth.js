// OAuth connections: list with token health, create/edit (authorization_code, client_credentials, oauth1),
// and "Connect" for the connection's global token through the provider in a new window.
import {el, labelCells, field, heading, replace, statusBadge, uid, when} from './dom.js';
import {ApiError, get, request, seg} from './api.js';
import {alertRegion, clearErrors, showOk, showProblem} from './errors.js';
import {keyValueRows} from './kv.js';
import {navigate, openFromClick, pollUntil} from './flow.js';

const GRANTS = [
  ['authorization_code', 'Authorization code (a person consents, PKCE)'],
  ['client_credentials', 'Client credentials (no person involved)'],
  ['oauth1', 'OAuth 1.0a'],
];
const SIGNATURES = ['HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA1', 'PLAINTEXT'];
const CLIENT_AUTH = ['client_secret_basic', 'client_secret_post'];

function select(id, options, value, dataField) {
  const node = el('select', {id, 'data-field': dataField});
  for (const option of options) {
    const [v, text] = Array.isArray(option) ? option : [option, option];
    node.appendChild(el('option', {value: v}, text));
  }
  if (value !== undefined && value !== null) node.value = value;
  return node;
}

/** The catalogue of well-known providers, or [] when the hub has none. */
export async function providers() {
  try {
    const {data} = await request('GET', '/v1/providers', {allow: [404]});
    return Array.isArray(data) ? data : [];
  } catch (e) {
    return [];
  }
}

/**
 * The fields of a connection. existing: the connection when editing (its secret reads "***").
 * Returns {node, collect(): body, name()}.
 */
export function connectionFields(existing, catalogue, options = {}) {
  const editing = Boolean(existing);
  const c = existing || {grant_type: 'authorization_code', scopes: [], extra_authorize_params: {}};
  const prefix = options.prefix || '';
  const box = el('div', {class: 'connection-fields'});

  const nameInput = el('input', {type: 'text', value: c.connection_name || '', autocomplete: 'off', required: true});
  const name = field('Connection name', nameInput, `${prefix}connection_name`, 'Letters, digits, _ . - (1–128).');
  if (editing) nameInput.readOnly = true;

  let providerSelect = null;
  if (!editing && catalogue.length) {
    const pid = uid('prov');
    providerSelect = select(pid, [['', '— none: enter the endpoints —'], ...catalogue.map((p) => [p.provider, p.display_name || p.provider])], '', `${prefix}provider`);
    const row = el('div', {class: 'field'}, el('label', {for: pid}, 'Provider from the catalogue'), providerSelect);
    box.appendChild(row);
  }

  const grantId = uid('grant');
  const grantSelect = select(grantId, GRANTS, c.grant_type, `${prefix}grant_type`);
  const grant = el('div', {class: 'field'}, el('label', {for: grantId}, 'Grant type'), grantSelect);

  const clientId = field('Client id (consumer key for OAuth 1.0a)', el('input', {type: 'text', value: c.client_id || '', autocomplete: 'off'}), `${prefix}client_id`);
  const secretInput = el('input', {type: 'password', autocomplete: 'new-password'});
  const secret = field('Client secret (consumer secret or RSA private key for OAuth 1.0a)', secretInput, `${prefix}client_secret`);
  let replacingSecret = !(editing && c.client_secret);
  if (!replacingSecret) {
    secretInput.hidden = true;
    const state = el('span', {class: 'badge set', id: uid('st')}, 'set');
    const replaceButton = el('button', {type: 'button', class: 'secondary', 'aria-label': 'Replace client secret'}, 'Replace');
    replaceButton.addEventListener('click', () => {
      replacingSecret = true;
      secretInput.hidden = false;
      state.textContent = 'set — type the new value';
      secretInput.focus();
    });
    secret.row.insertBefore(el('div', {class: 'secret-state'}, state, replaceButton), secretInput);
  }

  const authUrl = field('Authorization URL', el('input', {type: 'url', value: c.authorization_url || '', autocomplete: 'off'}), `${prefix}authorization_url`, 'May contain {entity_id}.');
  const tokenUrl = field('Token URL', el('input', {type: 'url', value: c.token_url || '', autocomplete: 'off'}), `${prefix}token_url`, 'May contain {entity_id}.');
  const scopes = field('Scopes (separated by spaces)', el('input', {type: 'text', value: (c.scopes || []).join(' '), autocomplete: 'off'}), `${prefix}scopes`);
  const clientAuthId = uid('ca');
  const clientAuthSelect = select(clientAuthId, CLIENT_AUTH, c.client_auth_method || 'client_secret_basic', `${prefix}client_auth_method`);
  const clientAuth = el('div', {class: 'field'}, el('label', {for: clientAuthId}, 'Client authentication at the token URL'), clientAuthSelect);
  const extra = keyValueRows('Extra authorize parameters', c.extra_authorize_params || {}, {field: `${prefix}extra_authorize_params`, addText: 'Add parameter'});

  const requestTokenUrl = field('Request token URL', el('input', {type: 'url', value: c.request_token_url || '', autocomplete: 'off'}), `${prefix}request_token_url`);
  const accessTokenUrl = field('Access token URL', el('input', {type: 'url', value: c.access_token_url || '', autocomplete: 'off'}), `${prefix}access_token_url`);
  const sigId = uid('sig');
  const sigSelect = select(sigId, SIGNATURES, c.signature_method || 'HMAC-SHA1', `${prefix}signature_method`);
  const signature = el('div', {class: 'field'}, el('label', {for: sigId}, 'Signature method'), sigSelect);

  const oauth2 = el('div', {class: 'group'}, tokenUrl.row, scopes.row, clientAuth, extra.node);
  const oauth1 = el('div', {class: 'group'}, requestTokenUrl.row, accessTokenUrl.row, signature);
  box.append(name.row, grant, clientId.row, secret.row, authUrl.row, oauth2, oauth1);

  function showGrant() {
    const g = grantSelect.value;
    oauth1.hidden = g !== 'oauth1';
    oauth2.hidden = g === 'oauth1';
    authUrl.row.hidden = g === 'client_credentials';
  }
  grantSelect.addEventListener('change', showGrant);
  showGrant();

  if (providerSelect) {
    providerSelect.addEventListener('change', () => {
      const p = catalogue.find((x) => x.provider === providerSelect.value);
      if (!p) return;
      if (p.grant_types && p.grant_types.length) grantSelect.value = p.grant_types[0];
      authUrl.input.value = p.authorization_url || '';
      tokenUrl.input.value = p.token_url || '';
      scopes.input.value = (p.scopes || []).join(' ');
      if (p.token_auth_method && CLIENT_AUTH.includes(p.token_auth_method)) clientAuthSelect.value = p.token_auth_method;
      showGrant();
    });
  }

  function collect() {
    const g = grantSelect.value;
    const body = {grant_type: g, client_id: clientId.input.value};
    if (!editing) body.connection_name = nameInput.value.trim();
    if (providerSelect && providerSelect.value) body.provider = providerSelect.value;
    if (replacingSecret && secretInput.value !== '') body.client_secret = secretInput.value;
    if (g !== 'client_credentials' && authUrl.input.value) body.authorization_url = authUrl.input.value;
    if (g === 'oauth1') {
      body.request_token_url = requestTokenUrl.input.value;
      body.access_token_url = accessTokenUrl.input.value;
      body.signature_method = sigSelect.value;
    } else {
      body.token_url = tokenUrl.input.value;
      body.scopes = scopes.input.value.split(/[\s,]+/).filter(Boolean);
      body.client_auth_method = clientAuthSelect.value;
      body.extra_authorize_params = extra.collect();
    }
    return body;
  }
  return {node: box, collect, name: () => nameInput.value.trim()};
}

/**
 * A connection's token health from GET /v1/oauth/connections/{name}/tokens: {counts, tokens: [{org_id (null: the
 * global token), integration_name, status, expires_at, refreshed_at, reauth_reason}]}, soonest expiry first.
 * No token value is in it. Null when it cannot be read.
 */
export async function connectionTokens(name) {
  try {
    const {data} = await request('GET', `/v1/oauth/connections/${seg(name)}/tokens`);
    return data;
  } catch (e) {
    return null;
  }
}

/** The status of the connection's global token: its entry's status, or missing when it has none. */
export function globalStatus(health) {
  if (!health) return null;
  const global = (health.tokens || []).find((t) => !t.org_id);
  return global ? global.status : 'missing';
}

function scopeText(t) {
  return t.org_id ? `org ${t.org_id}` : 'global token';
}

function healthSection(healthByName, connections) {
  const counts = {active: 0, expired: 0, needs_reauth: 0};
  const tokens = [];
  for (const c of connections) {
    const h = healthByName[c.connection_name];
    if (!h) continue;
    for (const [status, n] of Object.entries(h.counts || {})) counts[status] = (counts[status] || 0) + n;
    for (const t of h.tokens || []) tokens.push({...t, connection: c.connection_name, margin: c.refresh_margin_seconds || 0});
  }
  const countList = el('ul', {class: 'counts'}, Object.entries(counts).map(([status, n]) => el('li', {}, statusBadge(status), ` ${n}`)));
  const reauth = tokens.filter((t) => t.status === 'needs_reauth' || t.status === 'expired');
  const upcoming = tokens
    .filter((t) => t.status === 'active' && t.expires_at)
    .map((t) => ({...t, refresh_at: new Date(new Date(t.expires_at).getTime() - t.margin * 1000).toISOString()}))
    .sort((x, y) => x.refresh_at.localeCompare(y.refresh_at))
    .slice(0, 10);
  const missing = connections.filter((c) => !healthByName[c.connection_name]);
  const table = (caption, heads, rows) => {
    const t = el(
      'table',
      {class: 'list'},
      el('caption', {class: 'visually-hidden'}, caption),
      el('thead', {}, el('tr', {}, heads.map((h) => el('th', {scope: 'col'}, h)))),
      el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c))))),
    );
    return labelCells(t);
  };
  return el(
    'section',
    {class: 'health', 'aria-labelledby': 'health-h'},
    el('h2', {id: 'health-h'}, 'Token health'),
    el('p', {class: 'muted'}, 'Every token of every connection: the global one and each organization\u2019s own.'),
    countList,
    missing.length ? el('p', {class: 'muted'}, `Not readable now: ${missing.map((c) => c.connection_name).join(', ')}.`) : null,
    el('h3', {}, 'Needing reauthorization'),
    reauth.length
      ? table('Tokens needing reauthorization', ['Connection', 'Integration', 'Scope', 'Status', 'Reason'], reauth.map((t) => [t.connection, t.integration_name || '—', scopeText(t), statusBadge(t.status), t.reauth_reason || '—']))
      : el('p', {class: 'muted'}, 'None.'),
    el('h3', {}, 'Next refreshes'),
    upcoming.length
      ? table('Next refreshes', ['Connection', 'Integration', 'Scope', 'Expires', 'Last refreshed', 'Refresh due (about)'], upcoming.map((t) => [t.connection, t.integration_name || '—', scopeText(t), when(t.expires_at), when(t.refreshed_at), when(t.refresh_at)]))
      : el('p', {class: 'muted'}, 'No active token with an expiry.'),
  );
}

/** #/oauth: the connections, their global token, and token health. */
export async function connectionsPage(main) {
  const alert = alertRegion();
  const body = el('div', {}, el('p', {}, 'Loading…'));
  const page = el('section', {class: 'page'}, heading('OAuth connections', el('a', {href: '#/oauth/new', class: 'button'}, 'New connection')), alert, body);
  replace(main, page);
  async function load() {
    const connections = await get('/v1/oauth/connections');
    const healthByName = {};
    await Promise.all(
      connections.map(async (c) => {
        const h = await connectionTokens(c.connection_name);
        if (h) healthByName[c.connection_name] = h;
      }),
    );
    const table = el(
      'table',
      {class: 'list'},
      el('caption', {class: 'visually-hidden'}, 'OAuth connections'),
      el('thead', {}, el('tr', {}, ['Name', 'Grant type', 'Client id', 'Global token', 'Actions'].map((h) => el('th', {scope: 'col'}, h)))),
      el(
        'tbody',
        {},
        connections.map((c) => {
          const g = globalStatus(healthByName[c.connection_name]);
          const actions = el('td', {class: 'actions'}, el('a', {href: `#/oauth/${seg(c.connection_name)}/edit`, class: 'button secondary', 'aria-label': `Edit ${c.connection_name}`}, 'Edit'));
          if (c.grant_type !== 'client_credentials') {
            const text = g === 'active' ? 'Reconnect' : 'Connect';
            const connect = el('button', {type: 'button', 'aria-label': `${text} ${c.connection_name}`}, text);
            connect.addEventListener('click', () => connectGlobal(c, page, load));
            actions.appendChild(connect);
          }
          actions.appendChild(deleteButton(`/v1/oauth/connections/${seg(c.connection_name)}`, c, page, load));
          return el(
            'tr',
            {'data-connection': c.connection_name},
            el('td', {}, c.connection_name),
            el('td', {}, c.grant_type),
            el('td', {}, c.client_id || ''),
            el('td', {class: 'global-status'}, g ? statusBadge(g) : el('span', {class: 'muted'}, 'unknown')),
            actions,
          );
        }),
      ),
    );
    labelCells(table);
    replace(body, connections.length ? table : el('p', {}, 'No connections yet.'), healthSection(healthByName, connections));
  }
  try {
    await load();
  } catch (e) {
    showProblem(page, e);
  }
  return {events: ['TokenIssued', 'TokenRefreshed', 'TokenRefreshFailed', 'TokenRevoked', 'OAuthConnectionCreated', 'OAuthConnectionUpdated', 'OAuthConnectionDeleted'], refresh: () => load().catch(() => {})};
}

/** A Delete button that asks once more before deleting. */
export function deleteButton(path, item, scope, after) {
  const label = item.connection_name || item.name || item.organization_id;
  const button = el('button', {type: 'button', class: 'danger', 'aria-label': `Delete ${label}`}, 'Delete');
  let armed = false;
  button.addEventListener('click', async () => {
    if (!armed) {
      armed = true;
      button.textContent = 'Confirm delete';
      return;
    }
    try {
      await request('DELETE', path, {ifMatch: item.version});
      await after();
    } catch (e) {
      showProblem(scope, e, {onReload: after});
    }
  });
  button.addEventListener('blur', () => {
    armed = false;
    button.textContent = 'Delete';
  });
  return button;
}

async function connectGlobal(c, page, reload) {
  const w = openFromClick();
  clearErrors(page);
  const globalToken = (h) => (h && h.tokens ? h.tokens.find((t) => !t.org_id) : null);
  try {
    const before = globalToken(await connectionTokens(c.connection_name));
    const {data} = await request('POST', `/v1/oauth/connections/${seg(c.connection_name)}/connect`);
    navigate(w, data.redirect_url);
    showOk(page, `Waiting for the provider: consent in the new window (${c.connection_name}).`);
    // Done when the global token is active and is a new one (or newly refreshed) since the click.
    const ok = await pollUntil(async () => {
      const now = globalToken(await connectionTokens(c.connection_name));
      return Boolean(now && now.status === 'active' && (!before || now.version !== before.version || before.status !== 'active'));
    });
    await reload();
    if (ok) showOk(page, `${c.connection_name}: connected.`);
    else showProblem(page, new Error(`${c.connection_name}: still not connected; try Connect again.`));
  } catch (e) {
    if (w && !w.closed) w.close();
    showProblem(page, e);
  }
}

/** #/oauth/new and #/oauth/<name>/edit. */
export async function connectionFormPage(main, name) {
  const editing = Boolean(name);
  const alert = alertRegion();
  const form = el('form', {class: 'page', novalidate: true});
  replace(main, form);
  let existing = null;
  let catalogue = [];
  try {
    [existing, catalogue] = await Promise.all([editing ? get(`/v1/oauth/connections/${seg(name)}`) : null, editing ? [] : providers()]);
  } catch (e) {
    replace(form, heading('OAuth connection'), alert);
    showProblem(form, e);
    return null;
  }
  const fields = connectionFields(existing, catalogue);
  const save = el('button', {type: 'submit'}, editing ? 'Save connection' : 'Create connection');
  replace(form, heading(editing ? `Connection ${name}` : 'New OAuth connection'), alert, fields.node, el('div', {class: 'actions'}, save, el('a', {href: '#/oauth', class: 'button secondary'}, 'Cancel')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = fields.collect();
    try {
      if (editing) await request('PATCH', `/v1/oauth/connections/${seg(name)}`, {body, ifMatch: existing.version});
      else await request('POST', '/v1/oauth/connections', {body});
      window.location.hash = '#/oauth';
    } catch (e) {
      showProblem(form, e, {onReload: () => connectionFormPage(main, name)});
    }
  });
  return null;
}

export {ApiError};
