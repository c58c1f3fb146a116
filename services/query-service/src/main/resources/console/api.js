// The console's only way to the hub: the public v1 API, authenticated by the session cookie.
// Every write carries the CSRF token from GET /console/session; edits carry If-Match with the item's version.

let session = null;

/** An answer that is not 2xx: its status and, when the hub sent one, its problem+json. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {status, title: `HTTP ${status}`};
  }
}

/** Reads the session (subject, csrf_token, expires_at); sends the browser to the login page when there is none. */
export async function loadSession() {
  const res = await fetch('/console/session', {credentials: 'same-origin', headers: {Accept: 'application/json'}});
  if (res.status === 401) {
    toLogin();
    return null;
  }
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  session = await res.json();
  return session;
}

/** The current session, if loaded. */
export function currentSession() {
  return session;
}

function toLogin() {
  window.location.assign('/console/login.html');
}

async function problemOf(res) {
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      return await res.json();
    } catch (e) {
      return null;
    }
  }
  return null;
}

/**
 * Sends one request. Options: body (JSON), ifMatch (a version number), allow (statuses that are not errors).
 * Returns {status, data, etag}; throws ApiError otherwise.
 */
export async function request(method, path, options = {}) {
  const headers = {Accept: 'application/json'};
  if (method !== 'GET' && method !== 'HEAD') {
    if (!session) await loadSession();
    if (session) headers['X-CSRF-Token'] = session.csrf_token;
  }
  if (options.ifMatch !== undefined && options.ifMatch !== null) headers['If-Match'] = `"${options.ifMatch}"`;
  let body;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(path, {method, headers, body, credentials: 'same-origin', cache: 'no-store'});
  if (res.status === 401) {
    toLogin();
    throw new ApiError(401, {status: 401, title: 'Signed out', detail: 'Your session ended; sign in again.'});
  }
  const allowed = options.allow || [];
  if (!res.ok && !allowed.includes(res.status)) throw new ApiError(res.status, await problemOf(res));
  let data = null;
  if (res.status !== 204) {
    const text = await res.text();
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        data = null;
      }
    }
  }
  return {status: res.status, data, etag: res.headers.get('ETag')};
}

/** GET returning the JSON body. */
export async function get(path) {
  return (await request('GET', path)).data;
}

/** Signs out (clears the cookie) and goes to the login page. */
export async function logout() {
  try {
    await request('POST', '/console/logout');
  } finally {
    toLogin();
  }
}

/** Path segment encoding for names (they are [A-Za-z0-9_.-], but never trust that in a URL). */
export function seg(name) {
  return encodeURIComponent(name);
}
