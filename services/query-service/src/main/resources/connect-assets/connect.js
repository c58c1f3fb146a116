// The hosted connect page: reads the session's status and lets a person connect each listed integration.
// DOM built with createElement/textContent only (the CSP allows no inline script or style; names never become markup).

const POLL_MS = 1500;
const POLL_LIMIT_MS = 10 * 60 * 1000;

const token = location.pathname.split('/')[2] || '';
const base = '/connect/' + token;

const STATUS_TEXT = {
  active: 'Connected',
  expired: 'Expired',
  needs_reauth: 'Needs reconnecting',
  missing: 'Not connected',
};

const FIELD_LABELS = {
  api_key: 'API key',
  token: 'Token',
  username: 'User name',
  password: 'Password',
};

/** Integration name -> when its OAuth connect started (polling until it shows active). */
const pending = new Map();
let pollTimer = null;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function slug(text) {
  return String(text).replace(/[^A-Za-z0-9_-]/g, '_');
}

async function readStatus() {
  const response = await fetch(base + '/status', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) {
    const error = new Error('status ' + response.status);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

function showGone(status) {
  stopPolling();
  const main = document.getElementById('main');
  main.replaceChildren(
    el('h1', { text: status === 410 ? 'This link has expired' : 'This link is not valid' }),
    el('p', {
      text: status === 410
        ? 'Links to connect your accounts work for a short time only. Ask whoever sent it for a new one.'
        : 'Check that you opened the whole link, or ask whoever sent it for a new one.',
    }),
  );
  main.classList.add('error-page');
  document.title = status === 410 ? 'This link has expired' : 'This link is not valid';
}

function notice(text) {
  document.getElementById('notice').textContent = text;
}

async function refresh() {
  let status;
  try {
    status = await readStatus();
  } catch (e) {
    if (e.status === 404 || e.status === 410) showGone(e.status);
    else notice('The page could not load its status; it tries again shortly.');
    return null;
  }
  render(status);
  return status;
}

function render(status) {
  document.getElementById('intro').textContent =
    'Connect the accounts below for organization ' + status.org_id + '. This link works until '
    + new Date(status.expires_at).toLocaleString() + '.';
  for (const item of status.integrations) {
    if (pending.has(item.name) && item.status === 'active') {
      pending.delete(item.name);
      notice(item.name + ' is connected.');
    }
  }
  const list = document.getElementById('integrations');
  const focused = document.activeElement && document.activeElement.id;
  const kept = new Map();
  for (const card of list.children) kept.set(card.dataset.name, card);
  const cards = status.integrations.map((item) => {
    const existing = kept.get(item.name);
    // A form keeps what the person typed: only its badge changes while it is on screen.
    if (existing && existing.dataset.scheme === item.auth_scheme && existing.dataset.kind === 'form') {
      updateBadge(existing, item);
      return existing;
    }
    return card(item);
  });
  list.replaceChildren(...cards);
  if (focused) {
    const again = document.getElementById(focused);
    if (again) again.focus();
  }
  if (pending.size === 0) stopPolling();
  const done = document.getElementById('done');
  done.replaceChildren();
  if (status.return_url) done.append(el('a', { class: 'button', href: status.return_url, text: 'Done' }));
}

function badge(item) {
  return el('span', {
    class: 'badge badge-' + slug(item.status),
    'data-status': item.status,
    text: STATUS_TEXT[item.status] || item.status,
  });
}

function updateBadge(card, item) {
  const old = card.querySelector('.badge');
  old.replaceWith(badge(item));
}

function card(item) {
  const id = 'i-' + slug(item.name);
  const oauth = item.auth_scheme === 'OAUTH2' || item.auth_scheme === 'OAUTH1';
  const node = el(
    'li',
    { class: 'integration', id, 'aria-labelledby': id + '-name' },
    el('div', { class: 'heading' }, el('h2', { id: id + '-name', text: item.name }), badge(item)),
    item.description ? el('p', { class: 'description', text: item.description }) : null,
  );
  node.dataset.name = item.name;
  node.dataset.scheme = item.auth_scheme;
  node.dataset.kind = oauth ? 'oauth' : 'form';
  node.append(oauth ? oauthAction(item, id) : form(item, id));
  return node;
}

function oauthAction(item, id) {
  const waiting = pending.has(item.name);
  const label = item.status === 'missing' ? 'Connect' : item.status === 'active' ? 'Reconnect' : 'Connect again';
  const button = el('button', {
    type: 'button',
    id: id + '-connect',
    class: 'button',
    'aria-describedby': id + '-error',
    text: waiting ? 'Waiting…' : label,
  });
  const error = el('p', { class: 'error', id: id + '-error', role: 'alert' });
  const hint = el('p', {
    class: 'hint',
    text: waiting ? 'Finish in the window that opened; this page updates by itself.' : '',
  });
  button.addEventListener('click', () => startOAuth(item, button, error));
  return el('div', { class: 'action' }, button, hint, error);
}

async function startOAuth(item, button, error) {
  error.textContent = '';
  // Opened in the click itself so no pop-up blocker stands in the way; pointed at the provider once known.
  const win = window.open('about:blank', '_blank');
  if (win) win.opener = null;
  button.disabled = true;
  try {
    const response = await post(item.name, { data: {} });
    if (!response.ok) {
      if (win) win.close();
      await showProblem(response, error, null);
      return;
    }
    const body = await response.json();
    if (body.redirect_url) {
      if (win) win.location.href = body.redirect_url;
      else window.open(body.redirect_url, '_blank', 'noopener');
      pending.set(item.name, Date.now());
      notice('Finish connecting ' + item.name + ' in the new window.');
      startPolling();
    } else if (win) {
      win.close();
    }
    await refresh();
  } catch (e) {
    if (win) win.close();
    error.textContent = 'The hub did not answer. Try again.';
  } finally {
    button.disabled = false;
  }
}

function form(item, id) {
  const node = el('form', { class: 'credentials', id: id + '-form', novalidate: true });
  const inputs = new Map();
  for (const field of item.fields) {
    const inputId = id + '-' + slug(field.key);
    const input = el('input', {
      id: inputId,
      name: field.key,
      type: field.secret ? 'password' : 'text',
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': inputId + '-error',
    });
    inputs.set(field.key, input);
    node.append(el(
      'div',
      { class: 'field' },
      el('label', { for: inputId, text: FIELD_LABELS[field.key] || field.key }),
      input,
      el('p', { class: 'error field-error', id: inputId + '-error' }),
    ));
  }
  const general = el('p', { class: 'error', id: id + '-error', role: 'alert' });
  const submit = el('button', {
    type: 'submit',
    class: 'button',
    id: id + '-save',
    text: item.status === 'active' ? 'Replace' : 'Connect',
  });
  node.append(general, submit);
  node.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const input of inputs.values()) clearFieldError(input);
    general.textContent = '';
    const data = {};
    for (const [key, input] of inputs) data[key] = input.value;
    submit.disabled = true;
    try {
      const response = await post(item.name, { data });
      if (!response.ok) {
        await showProblem(response, general, inputs);
        return;
      }
      for (const input of inputs.values()) input.value = '';
      notice(item.name + ' is connected.');
      const card = document.getElementById(id);
      if (card) card.dataset.kind = 'replaced';
      await refresh();
      const again = document.getElementById(id + '-save');
      if (again) again.focus();
    } catch (e) {
      general.textContent = 'The hub did not answer. Try again.';
    } finally {
      submit.disabled = false;
    }
  });
  return node;
}

function clearFieldError(input) {
  input.removeAttribute('aria-invalid');
  const error = document.getElementById(input.id + '-error');
  if (error) error.textContent = '';
}

/** Shows a problem+json answer: each field error next to its field, the rest in `general`. */
async function showProblem(response, general, inputs) {
  if (response.status === 404 || response.status === 410) {
    // The session itself may be gone (rather than the integration): then the whole page says so.
    try {
      await readStatus();
    } catch (e) {
      if (e.status === 404 || e.status === 410) {
        showGone(e.status);
        return;
      }
    }
  }
  let problem = {};
  try {
    problem = await response.json();
  } catch (e) {
    problem = {};
  }
  const rest = [];
  let first = null;
  for (const error of problem.errors || []) {
    const key = typeof error.field === 'string' && error.field.startsWith('data.') ? error.field.slice(5) : null;
    const input = inputs && key !== null ? inputs.get(key) : null;
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      document.getElementById(input.id + '-error').textContent = error.message;
      if (!first) first = input;
    } else {
      rest.push((error.field ? error.field + ': ' : '') + error.message);
    }
  }
  if (rest.length > 0) general.textContent = rest.join('; ');
  else if (!first) general.textContent = problem.detail || 'Could not connect.';
  if (first) first.focus();
}

function post(name, body) {
  return fetch(base + '/integrations/' + encodeURIComponent(name) + '/connect', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

function startPolling() {
  if (pollTimer !== null) return;
  pollTimer = setInterval(async () => {
    const now = Date.now();
    for (const [name, since] of pending) if (now - since > POLL_LIMIT_MS) pending.delete(name);
    if (pending.size === 0) {
      stopPolling();
      return;
    }
    await refresh();
  }, POLL_MS);
}

function stopPolling() {
  if (pollTimer !== null) clearInterval(pollTimer);
  pollTimer = null;
}

refresh();
