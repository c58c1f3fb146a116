// The console's shell: session, navigation, hash routing and live updates from the events stream.
import {el, replace} from './dom.js';
import {loadSession, logout} from './api.js';
import {integrationsPage, integrationFormPage} from './integrations.js';
import {integrationPage} from './integration.js';
import {connectionsPage, connectionFormPage} from './oauth.js';

const main = document.getElementById('main');
let active = null;
let stream = null;
let streamTypes = '';
let refreshTimer = null;

function parts() {
  const hash = window.location.hash.replace(/^#\/?/, '');
  return hash.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
}

async function route() {
  const p = parts();
  let title = 'Integrations';
  let page;
  if (p[0] === 'oauth') {
    if (p[1] === 'new') page = connectionFormPage(main, null);
    else if (p[1] && p[2] === 'edit') page = connectionFormPage(main, p[1]);
    else page = connectionsPage(main);
    title = 'OAuth connections';
  } else if (p[0] === 'integrations' && p[1] === 'new') {
    page = integrationFormPage(main, null);
    title = 'Create integration';
  } else if (p[0] === 'integrations' && p[1] && p[2] === 'edit') {
    page = integrationFormPage(main, p[1]);
    title = `Edit ${p[1]}`;
  } else if (p[0] === 'integrations' && p[1]) {
    page = integrationPage(main, p[1], p[2]);
    title = p[1];
  } else {
    if (p[0] !== 'integrations') history.replaceState(null, '', '#/integrations');
    page = integrationsPage(main);
  }
  document.title = `${title} · Integrations Hub console`;
  for (const link of document.querySelectorAll('nav a')) {
    const section = link.getAttribute('href').replace('#/', '');
    if ((p[0] || 'integrations') === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  active = null;
  const result = await page;
  active = result;
  subscribe(result && result.events ? result.events : []);
  const h1 = main.querySelector('h1');
  if (h1 && !main.contains(document.activeElement)) h1.focus({preventScroll: true});
}

// Live updates: one EventSource for the types the visible page cares about. The stream is optional:
// if it is missing (404) or keeps failing, the console works without it.
function showLive(on) {
  document.body.dataset.live = on ? 'open' : 'off';
  const indicator = document.getElementById('live');
  if (indicator) indicator.textContent = on ? 'Live' : '';
}

function subscribe(types) {
  const wanted = types.slice().sort().join(',');
  if (wanted === streamTypes && stream) return;
  if (stream) stream.close();
  stream = null;
  showLive(false);
  streamTypes = wanted;
  if (!wanted || typeof EventSource === 'undefined') return;
  let opened = false;
  let failures = 0;
  try {
    stream = new EventSource(`/v1/events/stream?types=${encodeURIComponent(wanted)}`, {withCredentials: true});
  } catch (e) {
    stream = null;
    return;
  }
  const source = stream;
  source.onopen = () => {
    opened = true;
    failures = 0;
    if (stream === source) showLive(true);
  };
  source.onerror = () => {
    failures += 1;
    if (stream === source) showLive(false);
    // EventSource retries by itself; give up when it never opened (no stream here: 404, 503) or keeps failing.
    if (!opened || failures > 5) {
      source.close();
      if (stream === source) stream = null;
    }
  };
  const onEvent = (message) => {
    if (!active || !active.refresh) return;
    let event = null;
    try {
      event = JSON.parse(message.data);
    } catch (e) {
      event = null;
    }
    // A page may say which events are about what it shows (the stream's JSON names integration and connection).
    if (event && active.matches && !active.matches(event)) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => active && active.refresh && active.refresh(), 300);
  };
  source.onmessage = onEvent;
  for (const type of types) source.addEventListener(type, onEvent);
}

async function start() {
  const session = await loadSession();
  if (!session) return;
  const who = document.getElementById('who');
  replace(who, `Signed in as ${session.subject}`);
  document.getElementById('logout').addEventListener('click', () => logout());
  window.addEventListener('hashchange', route);
  await route();
}

start().catch((e) => {
  replace(main, el('div', {class: 'alert', role: 'alert'}, el('p', {}, `The console could not start: ${e.message}`)));
});
