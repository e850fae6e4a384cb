// api.js: every request the pages make goes through VMS.api. The session
// is the server's vms_session cookie; state-changing requests echo the
// CSRF token of GET /api/v1/me (or of the login answer) in X-CSRF-Token.
// A 401 anywhere means the session ended: the handlers given to
// onUnauthorized run once (the viewer shows its login form, the wall goes
// to the login page and comes back).
'use strict';

(function () {
  const VMS = (window.VMS = window.VMS || {});

  let csrf = '';
  let me = null;
  let unauthorizedFired = false;
  const unauthorized = [];

  const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

  // ApiError carries the HTTP status and the JSON error body, if any.
  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.error) || 'HTTP ' + status);
      this.status = status;
      this.body = body || {};
    }
  }

  function fireUnauthorized() {
    if (unauthorizedFired) return;
    unauthorizedFired = true;
    const hadSession = Boolean(me);
    me = null;
    csrf = '';
    unauthorized.forEach((fn) => {
      try {
        fn(hadSession);
      } catch (e) {
        // One handler's failure must not keep the others from running.
        window.setTimeout(() => { throw e; });
      }
    });
  }

  // request is fetch with the session's headers. It never throws for an
  // HTTP status, only for network errors and aborts.
  async function request(method, url, opts) {
    const o = opts || {};
    const h = new Headers(o.headers || {});
    if (!SAFE.has(method) && csrf) h.set('X-CSRF-Token', csrf);
    let body = o.body;
    if (o.json !== undefined) {
      h.set('Content-Type', 'application/json');
      body = JSON.stringify(o.json);
    }
    const res = await fetch(url, {
      method,
      headers: h,
      body,
      signal: o.signal,
      keepalive: Boolean(o.keepalive),
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
    });
    if (res.status === 401 && !o.noAuthRedirect) fireUnauthorized();
    return res;
  }

  async function readJSON(res) {
    try {
      return await res.json();
    } catch (_) {
      return {};
    }
  }

  // json sends a request and returns its JSON body, or throws ApiError.
  async function json(method, url, body, opts) {
    const o = Object.assign({}, opts || {});
    if (body !== undefined) o.json = body;
    const res = await request(method, url, o);
    if (res.status === 204) return {};
    const data = await readJSON(res);
    if (!res.ok) throw new ApiError(res.status, data);
    return data;
  }

  // loadMe reads GET /api/v1/me: the user, their unit, permissions and
  // the CSRF token. Resolves to null when nobody is logged in.
  async function loadMe() {
    const res = await request('GET', '/api/v1/me', { noAuthRedirect: true });
    if (res.status === 401) return null;
    const data = await readJSON(res);
    if (!res.ok) throw new ApiError(res.status, data);
    me = data;
    csrf = typeof data.csrf_token === 'string' ? data.csrf_token : '';
    unauthorizedFired = false;
    return me;
  }

  // login posts the form; resolves to the response so the caller can
  // explain 401/429. On success the cookie is set and /me is loaded.
  async function login(username, password) {
    const res = await request('POST', '/api/v1/login', {
      json: { username, password },
      noAuthRedirect: true,
    });
    if (res.ok) {
      const body = await readJSON(res);
      if (typeof body.csrf_token === 'string') csrf = body.csrf_token;
      unauthorizedFired = false;
      await loadMe();
    }
    return res;
  }

  async function logout() {
    try {
      await request('POST', '/api/v1/logout', { noAuthRedirect: true });
    } catch (_) {
      // The cookie ends on the server side anyway when it expires.
    }
    me = null;
    csrf = '';
  }

  // can reports whether /me listed the permission (e.g. "user.manage").
  function can(action) {
    return Boolean(me && Array.isArray(me.permissions) && me.permissions.includes(action));
  }

  // safeNext accepts only a same-origin path to go back to after login
  // (never "//other.host", "/\\other", tabs or other tricks: the URL is
  // parsed and its origin compared).
  function safeNext(next) {
    if (typeof next !== 'string' || !next.startsWith('/')) return '';
    let u;
    try {
      u = new URL(next, window.location.origin);
    } catch (_) {
      return '';
    }
    if (u.origin !== window.location.origin) return '';
    return u.pathname + u.search + u.hash;
  }

  // loginURL is the login page that returns to the current page.
  function loginURL(reason) {
    const here = window.location.pathname + window.location.search + window.location.hash;
    const q = new URLSearchParams();
    q.set('next', here);
    if (reason) q.set('reason', reason);
    return '/?' + q.toString();
  }

  VMS.ApiError = ApiError;
  VMS.api = Object.freeze({
    request,
    json,
    readJSON,
    loadMe,
    login,
    logout,
    can,
    safeNext,
    loginURL,
    me: () => me,
    csrf: () => csrf,
    onUnauthorized: (fn) => unauthorized.push(fn),
  });
})();
