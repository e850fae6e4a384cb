// admin-api.js: the admin pages' fetch wrapper. The page uses the session
// cookie (set by POST /api/v1/login on the viewer page); state-changing
// requests echo the session's CSRF token from GET /api/v1/me.
'use strict';

(function () {
  let csrf = '';

  // ApiError carries the HTTP status and the server's error body
  // ({"error","field","fields"}, see internal/httpx/errors.go).
  class ApiError extends Error {
    constructor(status, body, network) {
      super((body && body.error) || (network ? 'network error' : 'HTTP ' + status));
      this.status = status;
      this.body = body || {};
      this.network = !!network;
    }
  }

  // request sends one API call. body: a plain object (sent as JSON), a
  // string/Blob/FormData (sent as is, with opts.type as Content-Type).
  // It resolves with the parsed JSON (or null for 204) and rejects with an
  // ApiError.
  async function request(method, path, body, opts) {
    opts = opts || {};
    const headers = { Accept: 'application/json' };
    let payload;
    if (body !== undefined && body !== null) {
      if (typeof body === 'string' || body instanceof Blob || body instanceof FormData) {
        payload = body;
        if (opts.type) headers['Content-Type'] = opts.type;
      } else {
        payload = JSON.stringify(body);
        headers['Content-Type'] = 'application/json';
      }
    }
    if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
    let res;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: payload,
        credentials: 'same-origin',
        cache: 'no-store',
        signal: opts.signal,
      });
    } catch (e) {
      if (e && e.name === 'AbortError') throw e;
      throw new ApiError(0, null, true);
    }
    let data = null;
    const text = res.status === 204 ? '' : await res.text();
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (_) {
        data = null;
      }
    }
    if (!res.ok) {
      const err = new ApiError(res.status, data && typeof data === 'object' ? data : null, false);
      if (res.status === 401 && typeof window.VMS_ADMIN_ON_401 === 'function') window.VMS_ADMIN_ON_401();
      throw err;
    }
    return data;
  }

  window.VMS_ADMIN_API = Object.freeze({
    ApiError,
    setCSRF: (token) => { csrf = token || ''; },
    get: (path, opts) => request('GET', path, null, opts),
    post: (path, body, opts) => request('POST', path, body, opts),
    patch: (path, body, opts) => request('PATCH', path, body, opts),
    del: (path, opts) => request('DELETE', path, null, opts),
    request,
  });
})();
