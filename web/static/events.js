// events.js: VMS.store, the cameras and units in the caller's scope, kept
// up to date by server push (GET /api/v1/events, Server-Sent Events):
//   event: status   data {"id": 12, "status": {...}}  (a snapshot on connect, then changes)
//   event: cameras  data {}                             (list changed: refetch)
// While the server has no /api/v1/events (404), the list is polled every
// 5 s instead, and the stream is tried again every minute.
'use strict';

(function () {
  const VMS = (window.VMS = window.VMS || {});
  const api = VMS.api;

  const POLL_MS = 5000;
  const PROBE_MS = 60000;
  const BACKOFF_MIN_MS = 1000;
  const BACKOFF_MAX_MS = 30000;

  const cameras = new Map(); // id → camera JSON (with .status)
  const units = new Map(); // code → {code,name,level,kind,parent_code}
  const children = new Map(); // code → [child codes] in tree order
  const listeners = new Set();
  let rootCode = '';
  let order = []; // unit codes in tree order
  let started = false;
  let es = null;
  let mode = 'connecting'; // connecting | live | polling | error
  let pollTimer = 0;
  let probeTimer = 0;
  let retryTimer = 0;
  let backoff = BACKOFF_MIN_MS;
  let listTimer = 0;
  let listInFlight = null;
  let listError = null; // {key, params} or null
  let loaded = false;

  function emit(type, id) {
    listeners.forEach((fn) => {
      try {
        fn(type, id);
      } catch (e) {
        window.setTimeout(() => { throw e; });
      }
    });
  }

  async function loadUnits() {
    const data = await api.json('GET', '/api/v1/units');
    const list = Array.isArray(data.units) ? data.units : [];
    units.clear();
    children.clear();
    order = [];
    list.forEach((u) => {
      if (!u || typeof u.code !== 'string') return;
      units.set(u.code, u);
      order.push(u.code);
    });
    rootCode = typeof data.root === 'string' && units.has(data.root) ? data.root : (order[0] || '');
    order.forEach((code) => {
      const p = units.get(code).parent_code;
      if (code !== rootCode && units.has(p)) {
        if (!children.has(p)) children.set(p, []);
        children.get(p).push(code);
      }
    });
    emit('units');
  }

  // loadCameras refetches the list; concurrent calls share one request.
  function loadCameras() {
    if (listInFlight) return listInFlight;
    const listStartedAt = Date.now();
    listInFlight = (async () => {
      try {
        const data = await api.json('GET', '/api/v1/cameras');
        const list = Array.isArray(data) ? data : (Array.isArray(data.cameras) ? data.cameras : []);
        const seen = new Set();
        list.forEach((c) => {
          if (!c || typeof c.id !== 'number') return;
          seen.add(c.id);
          const old = cameras.get(c.id);
          // A pushed status newer than the list's is kept.
          if (old && old.status && c.status && old.statusAt && old.statusAt > listStartedAt) c.status = old.status;
          cameras.set(c.id, c);
        });
        Array.from(cameras.keys()).forEach((id) => {
          if (!seen.has(id)) cameras.delete(id);
        });
        listError = null;
        loaded = true;
      } catch (e) {
        listError = e instanceof VMS.ApiError
          ? { key: 'list.error', params: { status: e.status } } : { key: 'list.network' };
        if (!(e instanceof VMS.ApiError && e.status === 401)) scheduleList(POLL_MS);
      } finally {
        listInFlight = null;
      }
      emit('cameras');
    })();
    return listInFlight;
  }

  function scheduleList(ms) {
    window.clearTimeout(listTimer);
    listTimer = window.setTimeout(loadCameras, ms);
  }

  function setMode(m) {
    if (mode === m) return;
    mode = m;
    emit('mode');
  }

  function onStatus(ev) {
    let msg;
    try {
      msg = JSON.parse(ev.data);
    } catch (_) {
      return;
    }
    if (!msg || typeof msg.id !== 'number') return;
    const cam = cameras.get(msg.id);
    if (!cam) {
      // A camera the list does not have yet: the list is stale.
      scheduleList(200);
      return;
    }
    cam.status = msg.status || {};
    cam.statusAt = Date.now();
    emit('status', msg.id);
  }

  function closeStream() {
    if (es) {
      es.removeEventListener('status', onStatus);
      es.removeEventListener('cameras', onCamerasEvent);
      es.onopen = null;
      es.onerror = null;
      es.close();
    }
    es = null;
  }

  function onCamerasEvent() {
    scheduleList(100);
  }

  function startPolling() {
    setMode('polling');
    window.clearInterval(pollTimer);
    pollTimer = window.setInterval(() => {
      if (!document.hidden) loadCameras();
    }, POLL_MS);
    window.clearTimeout(probeTimer);
    probeTimer = window.setTimeout(connect, PROBE_MS);
  }

  function stopPolling() {
    window.clearInterval(pollTimer);
    window.clearTimeout(probeTimer);
    pollTimer = 0;
    probeTimer = 0;
  }

  // probe asks what the events URL answers (EventSource hides the status).
  async function probe() {
    const ac = new AbortController();
    try {
      const res = await api.request('GET', '/api/v1/events', { signal: ac.signal, headers: { Accept: 'text/event-stream' } });
      return res.status;
    } catch (_) {
      return 0;
    } finally {
      ac.abort();
    }
  }

  function connect() {
    closeStream();
    window.clearTimeout(retryTimer);
    if (typeof window.EventSource !== 'function') {
      startPolling();
      return;
    }
    const s = new EventSource('/api/v1/events');
    es = s;
    s.addEventListener('status', onStatus);
    s.addEventListener('cameras', onCamerasEvent);
    s.onopen = () => {
      if (es !== s) return;
      backoff = BACKOFF_MIN_MS;
      stopPolling();
      setMode('live');
      // The snapshot follows; the list may have changed while away.
      loadCameras();
    };
    s.onerror = async () => {
      if (es !== s) return;
      if (s.readyState === EventSource.CONNECTING) {
        // The browser retries by itself; show it.
        setMode('connecting');
        return;
      }
      closeStream();
      const status = await probe();
      if (status === 404 || status === 405 || status === 501) {
        startPolling();
        return;
      }
      if (status === 401) return; // api fired onUnauthorized
      setMode('connecting');
      // Meanwhile, keep the list fresh.
      loadCameras();
      retryTimer = window.setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
    };
  }

  // start loads units and cameras, then follows the event stream.
  async function start() {
    if (started) return;
    started = true;
    await Promise.all([loadUnits().catch(() => {}), loadCameras()]);
    connect();
  }

  function stop() {
    started = false;
    closeStream();
    stopPolling();
    window.clearTimeout(retryTimer);
    window.clearTimeout(listTimer);
  }

  // ------------------------------------------------------------ queries

  // subtree lists code and every unit below it, in tree order.
  function subtree(code) {
    const out = [];
    const walk = (c) => {
      out.push(c);
      (children.get(c) || []).forEach(walk);
    };
    if (units.has(code)) walk(code);
    return out;
  }

  // path lists the units from the caller's root down to code.
  function path(code) {
    const out = [];
    let c = code;
    const guard = new Set();
    while (c && units.has(c) && !guard.has(c)) {
      guard.add(c);
      out.unshift(units.get(c));
      if (c === rootCode) break;
      c = units.get(c).parent_code;
    }
    return out;
  }

  function unitName(code) {
    const u = units.get(code);
    return u ? u.name : code || '';
  }

  // camerasIn returns the cameras of a unit's subtree, in tree order then
  // by name.
  function camerasIn(code) {
    const rank = new Map();
    (code ? subtree(code) : order).forEach((c, i) => rank.set(c, i));
    const out = [];
    cameras.forEach((cam) => {
      if (!code || rank.has(cam.unit_code)) out.push(cam);
    });
    out.sort((a, b) => ((rank.get(a.unit_code) ?? 1e9) - (rank.get(b.unit_code) ?? 1e9)) ||
      String(a.name).localeCompare(String(b.name), 'vi', { numeric: true }));
    return out;
  }

  // stateOf is what the navigator shows for a camera.
  function stateOf(cam) {
    if (!cam) return 'unknown';
    if (cam.enabled === false) return 'disabled';
    const s = cam.status && cam.status.state;
    return ['idle', 'connecting', 'online', 'offline', 'error'].includes(s) ? s : 'unknown';
  }

  // fold makes text searchable regardless of case and diacritics:
  // "Tân Châu" → "tan chau". đ/Đ are letters of their own that NFD does
  // not decompose, so they are mapped by hand.
  function fold(s) {
    return String(s || '')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[đĐ]/g, 'd')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  }

  // matches: every word of the query appears in the folded text.
  function matches(text, query) {
    const words = fold(query).split(' ').filter(Boolean);
    if (!words.length) return true;
    const hay = ' ' + fold(text) + ' ';
    return words.every((w) => hay.includes(w));
  }

  VMS.store = Object.freeze({
    start,
    stop,
    reload: loadCameras,
    reloadUnits: loadUnits,
    cameras,
    units,
    children,
    root: () => rootCode,
    order: () => order,
    loaded: () => loaded,
    listError: () => listError,
    mode: () => mode,
    get: (id) => cameras.get(id),
    subtree,
    path,
    unitName,
    camerasIn,
    stateOf,
    fold,
    matches,
    onChange: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  });
})();
