// app.js: camera list, login and the WHEP player of the vms page.
//
// Test hooks:
//   window.vmsPlayer = { state, cameraId, firstFrameMs, errorKind,
//                        reconnects, framesDecoded() }
//   #player-tile[data-state]  idle | connecting | playing | error
//   #player-tile[data-error-kind]  WHEP error kind while one is shown
//   #camera-list li[data-camera-id][data-state]
//
// All texts come from i18n.js (window.VMS_I18N); server data is only ever
// written with textContent.
'use strict';

(function () {
  const I18N = window.VMS_I18N;
  const t = I18N.t;

  const TOKEN_KEY = 'vms.token';
  const CSRF_KEY = 'vms.csrf';
  const USER_KEY = 'vms.user';

  const LIST_INTERVAL_MS = 3000;
  const STATS_INTERVAL_MS = 2000;
  const STALL_MS = 10000;
  const ICE_GATHER_MAX_MS = 2000;
  const BACKOFF_MIN_MS = 1000;
  const BACKOFF_MAX_MS = 10000;
  const RETRY_AFTER_MAX_MS = 30000;

  const STATES = ['idle', 'connecting', 'online', 'offline', 'error'];
  // WHEP error kinds a retry cannot fix: the player stops and explains.
  const PERMANENT_KINDS = new Set([
    'codec_unsupported', 'not_found', 'bad_offer', 'bad_content_type',
    'offer_too_large', 'forbidden', 'webrtc_unsupported', 'answer_rejected',
  ]);
  // Kinds that mean "wait, it is coming": shown as connecting, not error.
  const WAITING_KINDS = new Set(['camera_connecting', 'camera_idle']);
  // Kinds with a translation; others fall back to the status code text.
  const KNOWN_KINDS = new Set([
    'codec_unsupported', 'camera_offline', 'camera_error', 'camera_connecting',
    'camera_idle', 'too_many_viewers', 'not_found', 'unauthorized', 'forbidden',
    'bad_offer', 'bad_content_type', 'offer_too_large', 'internal', 'network',
    'webrtc_unsupported', 'webrtc_failed', 'answer_rejected',
  ]);

  const $ = (id) => document.getElementById(id);
  const el = {
    loginPanel: $('login-panel'),
    loginMessage: $('login-message'),
    loginForm: $('login-form'),
    loginUser: $('login-username'),
    loginPass: $('login-password'),
    loginError: $('login-error'),
    loginSubmit: $('login-submit'),
    appPanel: $('app-panel'),
    userName: $('user-name'),
    logout: $('logout-button'),
    langButtons: document.querySelectorAll('#lang-switch [data-lang]'),
    list: $('camera-list'),
    listStatus: $('camera-list-status'),
    count: $('camera-count'),
    playerPanel: $('player-panel'),
    tile: $('player-tile'),
    video: $('player-video'),
    message: $('player-message'),
    detail: $('player-detail'),
    retryNote: $('player-retry-note'),
    stop: $('player-stop'),
    retry: $('player-retry'),
    info: $('player-info'),
    infoName: $('info-name'),
    infoUnit: $('info-unit'),
    infoState: $('info-state'),
    infoCodec: $('info-codec'),
    infoResolution: $('info-resolution'),
    infoFps: $('info-fps'),
    infoBitrate: $('info-bitrate'),
    infoViewers: $('info-viewers'),
    infoTtff: $('info-ttff'),
    infoAudioRow: $('info-audio-row'),
    infoAudio: $('info-audio'),
  };

  // ---------------------------------------------------------------- storage

  function storageGet(key) {
    try {
      return window.sessionStorage.getItem(key) || '';
    } catch (_) {
      return '';
    }
  }

  function storageSet(key, value) {
    try {
      if (value) window.sessionStorage.setItem(key, value);
      else window.sessionStorage.removeItem(key);
    } catch (_) {
      // Without storage the cookie the server sets still authenticates.
    }
  }

  function clearSession() {
    storageSet(TOKEN_KEY, '');
    storageSet(CSRF_KEY, '');
    storageSet(USER_KEY, '');
  }

  // headers builds request headers with the bearer token (and the CSRF
  // token for unsafe methods, in case the cookie is what authenticates).
  function headers(method, extra) {
    const h = new Headers(extra || {});
    const token = storageGet(TOKEN_KEY);
    if (token) h.set('Authorization', 'Bearer ' + token);
    const csrf = storageGet(CSRF_KEY);
    if (csrf && method !== 'GET' && method !== 'HEAD') h.set('X-CSRF-Token', csrf);
    return h;
  }

  function api(url, opts) {
    const o = opts || {};
    const method = o.method || 'GET';
    return fetch(url, {
      method,
      headers: headers(method, o.headers),
      body: o.body,
      signal: o.signal,
      keepalive: Boolean(o.keepalive),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  }

  async function readJSON(res) {
    try {
      return await res.json();
    } catch (_) {
      return {};
    }
  }

  // ---------------------------------------------------------------- formatting

  function fmtNumber(v, digits) {
    return new Intl.NumberFormat(I18N.locale(), {
      maximumFractionDigits: digits,
      minimumFractionDigits: 0,
    }).format(v);
  }

  function fmtBitrate(kbps) {
    if (!(kbps > 0)) return t('info.none');
    if (kbps >= 1000) return t('unit.mbps', { v: fmtNumber(kbps / 1000, 2) });
    return t('unit.kbps', { v: fmtNumber(kbps, 0) });
  }

  function stateOf(cam) {
    const s = cam && cam.status && cam.status.state;
    return STATES.includes(s) ? s : 'unknown';
  }

  // ---------------------------------------------------------------- login

  const app = {
    authRequired: false,
    listTimer: 0,
    listAbort: null,
    cameras: new Map(), // id -> camera JSON of the last list
    items: new Map(), // id -> list item elements
    listError: null, // {key, params} of the list status line, or null
    loaded: false,
    loginMessageKey: 'login.required',
    loginError: null, // {key, params}
  };

  function showLogin(messageKey) {
    app.authRequired = true;
    app.loginMessageKey = messageKey || 'login.required';
    clearSession();
    stopListPolling();
    stopPlayer();
    el.appPanel.hidden = true;
    el.loginPanel.hidden = false;
    el.logout.hidden = true;
    el.userName.hidden = true;
    renderLogin();
    el.loginUser.focus();
  }

  function renderLogin() {
    el.loginMessage.textContent = t('login.required');
    el.loginMessage.dataset.i18n = 'login.required';
    // The hint says why: first visit or an expired session.
    const hint = $('login-hint');
    const hintKey = app.loginMessageKey === 'login.expired' ? 'login.expired' : 'login.hint';
    hint.dataset.i18n = hintKey;
    hint.textContent = t(hintKey);
    if (app.loginError) {
      el.loginError.textContent = t(app.loginError.key, app.loginError.params);
      el.loginError.hidden = false;
    } else {
      el.loginError.textContent = '';
      el.loginError.hidden = true;
    }
  }

  function showApp() {
    app.authRequired = false;
    el.loginPanel.hidden = true;
    el.appPanel.hidden = false;
    const user = storageGet(USER_KEY);
    el.userName.textContent = user;
    el.userName.hidden = !user;
    el.logout.hidden = !storageGet(TOKEN_KEY);
  }

  async function onLoginSubmit(ev) {
    ev.preventDefault();
    const username = el.loginUser.value.trim();
    const password = el.loginPass.value;
    if (!username || !password) {
      app.loginError = { key: 'login.missing' };
      renderLogin();
      return;
    }
    app.loginError = null;
    renderLogin();
    el.loginSubmit.disabled = true;
    el.loginSubmit.textContent = t('login.submitting');
    try {
      const res = await fetch('/api/v1/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password }),
        credentials: 'same-origin',
        cache: 'no-store',
      });
      if (res.ok) {
        const body = await readJSON(res);
        storageSet(TOKEN_KEY, typeof body.token === 'string' ? body.token : '');
        storageSet(CSRF_KEY, typeof body.csrf_token === 'string' ? body.csrf_token : '');
        const u = body.user || {};
        storageSet(USER_KEY, String(u.display_name || u.username || username));
        el.loginPass.value = '';
        showApp();
        startListPolling();
        return;
      }
      if (res.status === 401 || res.status === 400) {
        app.loginError = { key: 'login.bad' };
      } else if (res.status === 429) {
        const s = parseInt(res.headers.get('Retry-After') || '', 10);
        app.loginError = s > 0 ? { key: 'login.limitedAfter', params: { s } } : { key: 'login.limited' };
      } else {
        app.loginError = { key: 'login.failed', params: { status: res.status } };
      }
    } catch (_) {
      app.loginError = { key: 'login.network' };
    } finally {
      el.loginSubmit.disabled = false;
      el.loginSubmit.textContent = t('login.submit');
    }
    renderLogin();
    el.loginPass.select();
  }

  async function onLogout() {
    try {
      await api('/api/v1/logout', { method: 'POST' });
    } catch (_) {
      // The local session is dropped anyway.
    }
    app.loginError = null;
    showLogin('login.required');
  }

  // ---------------------------------------------------------------- camera list

  function startListPolling() {
    stopListPolling();
    loadCameras();
  }

  function stopListPolling() {
    clearTimeout(app.listTimer);
    app.listTimer = 0;
    if (app.listAbort) app.listAbort.abort();
    app.listAbort = null;
  }

  function scheduleList() {
    clearTimeout(app.listTimer);
    app.listTimer = setTimeout(loadCameras, LIST_INTERVAL_MS);
  }

  async function loadCameras() {
    if (app.authRequired) return;
    if (document.hidden) {
      scheduleList();
      return;
    }
    const ac = new AbortController();
    app.listAbort = ac;
    let res;
    try {
      res = await api('/api/v1/cameras', { signal: ac.signal });
    } catch (_) {
      if (ac.signal.aborted) return;
      app.listError = { key: 'list.network' };
      renderListStatus();
      scheduleList();
      return;
    }
    if (ac.signal.aborted) return;
    if (res.status === 401) {
      showLogin(storageGet(TOKEN_KEY) ? 'login.expired' : 'login.required');
      return;
    }
    if (!res.ok) {
      app.listError = { key: 'list.error', params: { status: res.status } };
      renderListStatus();
      scheduleList();
      return;
    }
    const body = await readJSON(res);
    if (ac.signal.aborted) return;
    // A bare array, or {"cameras": [...]} (room for paging).
    const cams = Array.isArray(body) ? body : (Array.isArray(body.cameras) ? body.cameras : []);
    app.listError = null;
    app.loaded = true;
    showApp();
    renderList(cams);
    scheduleList();
  }

  function renderListStatus() {
    const n = app.cameras.size;
    el.count.textContent = app.loaded ? t('list.count', { n }) : '';
    let key = null;
    let params;
    if (app.listError) {
      key = app.listError.key;
      params = app.listError.params;
    } else if (!app.loaded) {
      key = 'list.loading';
    } else if (n === 0) {
      key = 'list.empty';
    }
    el.listStatus.removeAttribute('data-i18n');
    el.listStatus.textContent = key ? t(key, params) : '';
    el.listStatus.hidden = !key;
    el.listStatus.classList.toggle('cameras__status--error', Boolean(app.listError));
  }

  function createItem(id) {
    const li = document.createElement('li');
    li.className = 'cam';
    li.dataset.cameraId = String(id);
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.className = 'cam__btn';
    btn.addEventListener('click', () => selectCamera(id));
    const main = document.createElement('span');
    main.className = 'cam__main';
    const name = document.createElement('span');
    name.className = 'cam__name';
    const meta = document.createElement('span');
    meta.className = 'cam__meta';
    const reason = document.createElement('span');
    reason.className = 'cam__reason';
    main.append(name, meta, reason);
    const badge = document.createElement('span');
    badge.className = 'badge';
    btn.append(main, badge);
    li.append(btn);
    const item = { li, btn, name, meta, reason, badge };
    app.items.set(id, item);
    return item;
  }

  function updateItem(item, cam) {
    const state = stateOf(cam);
    const watching = player.cameraId === cam.id;
    item.li.dataset.state = state;
    item.li.classList.toggle('cam--selected', watching);
    item.li.classList.toggle('cam--disabled', cam.enabled === false);
    if (watching) item.btn.setAttribute('aria-current', 'true');
    else item.btn.removeAttribute('aria-current');
    item.name.textContent = cam.name || '#' + cam.id;
    const meta = [];
    if (cam.unit_code) meta.push(cam.unit_code);
    if (cam.enabled === false) meta.push(t('list.disabled'));
    if (watching) meta.push(t('list.watching'));
    item.meta.textContent = meta.join(' · ');
    const reason = (state === 'offline' || state === 'error') && cam.status ? cam.status.reason || '' : '';
    item.reason.textContent = reason;
    item.reason.hidden = !reason;
    item.badge.className = 'badge badge--' + state;
    item.badge.dataset.state = state;
    item.badge.textContent = t('status.' + state);
  }

  function renderList(cams) {
    const seen = new Set();
    app.cameras = new Map();
    cams.forEach((cam, idx) => {
      if (!cam || cam.id === undefined || cam.id === null) return;
      seen.add(cam.id);
      app.cameras.set(cam.id, cam);
      const item = app.items.get(cam.id) || createItem(cam.id);
      updateItem(item, cam);
      const at = el.list.children[idx];
      if (at !== item.li) el.list.insertBefore(item.li, at || null);
    });
    app.items.forEach((item, id) => {
      if (!seen.has(id)) {
        item.li.remove();
        app.items.delete(id);
      }
    });
    renderListStatus();
    renderInfo();
  }

  function rerenderList() {
    app.cameras.forEach((cam, id) => {
      const item = app.items.get(id);
      if (item) updateItem(item, cam);
    });
    renderListStatus();
  }

  // ---------------------------------------------------------------- player

  const player = {
    cameraId: null,
    gen: 0, // bumped by every teardown; stale async work compares it
    pc: null,
    location: null, // WHEP session resource (absolute URL)
    abort: null,
    state: 'idle', // idle | connecting | playing | error
    message: { key: 'player.choose' },
    detail: '', // the server's error text, shown in small print
    causeKey: '', // or a translated cause (why we reconnect), same place
    errorKind: '',
    retryAt: 0,
    retryTimer: 0,
    noteTimer: 0,
    statsTimer: 0,
    backoff: BACKOFF_MIN_MS,
    postAt: 0,
    firstFrameMs: null,
    frames: 0, // framesDecoded of the current session (getStats)
    lastProgressAt: 0,
    reconnects: 0,
    vfcHandle: 0,
    onLoadedData: null,
  };

  function setView(state, message, detail, kind, causeKey) {
    player.state = state;
    player.message = message;
    player.detail = detail || '';
    player.errorKind = kind || '';
    player.causeKey = causeKey || '';
    renderPlayer();
  }

  function renderPlayer() {
    el.tile.dataset.state = player.state;
    if (player.errorKind) el.tile.dataset.errorKind = player.errorKind;
    else delete el.tile.dataset.errorKind;
    el.message.removeAttribute('data-i18n');
    el.message.textContent = t(player.message.key, player.message.params);
    let detail = '';
    if (player.causeKey) detail = t(player.causeKey);
    else if (player.detail) detail = t('player.serverSays', { text: player.detail });
    el.detail.textContent = detail;
    el.detail.hidden = !detail;
    let note = '';
    if (player.retryTimer && player.retryAt) {
      const s = Math.max(1, Math.ceil((player.retryAt - Date.now()) / 1000));
      note = t('player.retryIn', { s });
    } else if (player.errorKind && player.pc) {
      // A retry is in flight; the explanation stays until it succeeds.
      note = t('player.retrying');
    }
    el.retryNote.textContent = note;
    el.retryNote.hidden = !note;
    const active = player.cameraId !== null;
    el.stop.hidden = !active;
    el.retry.hidden = !(active && player.state === 'error');
    renderInfo();
  }

  function renderInfo() {
    const cam = player.cameraId !== null ? app.cameras.get(player.cameraId) : null;
    el.info.hidden = player.cameraId === null;
    if (player.cameraId === null) return;
    const st = (cam && cam.status) || {};
    const none = t('info.none');
    el.infoName.textContent = cam ? cam.name || '#' + cam.id : '#' + player.cameraId;
    el.infoUnit.textContent = (cam && cam.unit_code) || none;
    el.infoState.textContent = cam ? t('status.' + stateOf(cam)) : none;
    el.infoCodec.textContent = [st.video_codec, st.profile].filter(Boolean).join(' ') || none;
    const w = st.width || el.video.videoWidth;
    const h = st.height || el.video.videoHeight;
    el.infoResolution.textContent = w && h ? t('unit.resolution', { w, h }) : none;
    el.infoFps.textContent = st.fps > 0 ? t('unit.fps', { v: fmtNumber(st.fps, 1) }) : none;
    el.infoBitrate.textContent = fmtBitrate(st.bitrate_kbps);
    el.infoViewers.textContent = typeof st.viewers === 'number' ? fmtNumber(st.viewers, 0) : none;
    el.infoTtff.textContent = player.firstFrameMs !== null
      ? t('unit.ms', { v: fmtNumber(player.firstFrameMs, 0) }) : none;
    const audio = st.audio_note || '';
    el.infoAudio.textContent = audio;
    el.infoAudioRow.hidden = !audio;
  }

  function sendDelete(location) {
    if (!location) return;
    api(location, { method: 'DELETE', keepalive: true }).catch(() => {
      // The server also drops sessions whose ICE goes away.
    });
  }

  // teardown ends the current WHEP session (DELETE + close) and cancels
  // every timer and pending request; the selected camera stays.
  function teardown() {
    player.gen += 1;
    clearTimeout(player.retryTimer);
    clearInterval(player.statsTimer);
    clearInterval(player.noteTimer);
    player.retryTimer = 0;
    player.statsTimer = 0;
    player.noteTimer = 0;
    player.retryAt = 0;
    if (player.abort) player.abort.abort();
    player.abort = null;
    if (player.location) sendDelete(player.location);
    player.location = null;
    if (player.pc) {
      player.pc.ontrack = null;
      player.pc.onconnectionstatechange = null;
      player.pc.close();
    }
    player.pc = null;
    if (player.vfcHandle && el.video.cancelVideoFrameCallback) {
      el.video.cancelVideoFrameCallback(player.vfcHandle);
    }
    player.vfcHandle = 0;
    if (player.onLoadedData) el.video.removeEventListener('loadeddata', player.onLoadedData);
    player.onLoadedData = null;
    el.video.srcObject = null;
    player.frames = 0;
  }

  function stopPlayer() {
    teardown();
    player.cameraId = null;
    player.firstFrameMs = null;
    player.backoff = BACKOFF_MIN_MS;
    setView('idle', { key: 'player.choose' });
    rerenderList();
  }

  function selectCamera(id) {
    if (player.cameraId === id && player.state !== 'error') return;
    teardown();
    player.cameraId = id;
    player.backoff = BACKOFF_MIN_MS;
    player.reconnects = 0;
    player.firstFrameMs = null;
    setView('connecting', { key: 'player.connecting' });
    rerenderList();
    if (window.matchMedia('(max-width: 900px)').matches) {
      el.playerPanel.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }
    connect('first');
  }

  function nextDelay(retryAfterMs) {
    const d = Math.max(player.backoff, Math.min(retryAfterMs || 0, RETRY_AFTER_MAX_MS));
    player.backoff = Math.min(player.backoff * 2, BACKOFF_MAX_MS);
    return d;
  }

  function scheduleRetry(delay) {
    player.retryAt = Date.now() + delay;
    player.retryTimer = setTimeout(() => {
      player.retryTimer = 0;
      player.retryAt = 0;
      clearInterval(player.noteTimer);
      player.noteTimer = 0;
      connect('retry');
    }, delay);
    player.noteTimer = setInterval(renderPlayer, 1000);
    renderPlayer();
  }

  // reconnect restarts a session that broke after it was set up.
  function reconnect(why) {
    if (player.cameraId === null) return;
    teardown();
    player.reconnects += 1;
    player.firstFrameMs = null;
    setView('connecting', { key: 'player.reconnecting' }, '', '', 'player.why.' + why);
    scheduleRetry(nextDelay(0));
  }

  // fail shows a WHEP or WebRTC error and retries unless retrying is futile.
  function fail(kind, status, serverText, retryAfterMs) {
    if (kind === 'unauthorized' || status === 401 ||
        (status === 403 && !storageGet(TOKEN_KEY))) {
      showLogin(storageGet(TOKEN_KEY) ? 'login.expired' : 'login.required');
      return;
    }
    if (!kind && status === 403) kind = 'forbidden';
    const known = KNOWN_KINDS.has(kind);
    const message = known ? { key: 'whep.' + kind } : { key: 'whep.unknown', params: { status: status || '?' } };
    const state = WAITING_KINDS.has(kind) ? 'connecting' : 'error';
    teardown();
    setView(state, message, serverText, kind || 'http_' + status);
    if (PERMANENT_KINDS.has(kind)) return;
    scheduleRetry(nextDelay(retryAfterMs));
  }

  function waitIceGathering(pc) {
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        pc.removeEventListener('icegatheringstatechange', onState);
        pc.removeEventListener('icecandidate', onCandidate);
        resolve();
      };
      const onState = () => {
        if (pc.iceGatheringState === 'complete') done();
      };
      const onCandidate = (ev) => {
        if (!ev.candidate) done();
      };
      const timer = setTimeout(done, ICE_GATHER_MAX_MS);
      pc.addEventListener('icegatheringstatechange', onState);
      pc.addEventListener('icecandidate', onCandidate);
    });
  }

  function parseRetryAfter(v) {
    const s = parseInt(v || '', 10);
    return s > 0 ? s * 1000 : 0;
  }

  // connect runs one WHEP exchange. mode: first | retry.
  async function connect(mode) {
    const camId = player.cameraId;
    if (camId === null) return;
    if (typeof window.RTCPeerConnection !== 'function') {
      fail('webrtc_unsupported', 0, '');
      return;
    }
    const gen = player.gen;
    const stale = () => gen !== player.gen;
    if (mode === 'first' && !player.errorKind) setView('connecting', { key: 'player.connecting' });

    let pc;
    try {
      // No ICE servers: the server is reachable directly. Link rel="ice-server"
      // headers of the answer are ignored for now.
      pc = new RTCPeerConnection({ iceServers: [] });
    } catch (e) {
      fail('webrtc_failed', 0, String((e && e.message) || e));
      return;
    }
    player.pc = pc;
    // After an error its explanation stays, with "retrying…" under it.
    renderPlayer();
    const stream = new MediaStream();
    pc.ontrack = (ev) => {
      if (stale()) return;
      stream.addTrack(ev.track);
      if (el.video.srcObject !== stream) el.video.srcObject = stream;
      const p = el.video.play();
      if (p && p.catch) p.catch(() => {});
    };
    pc.onconnectionstatechange = () => {
      if (stale()) return;
      const s = pc.connectionState;
      if (s === 'failed' || s === 'disconnected') reconnect(s);
    };

    try {
      pc.addTransceiver('video', { direction: 'recvonly' });
      pc.addTransceiver('audio', { direction: 'recvonly' });
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      await waitIceGathering(pc);
    } catch (e) {
      if (!stale()) fail('webrtc_failed', 0, String((e && e.message) || e));
      return;
    }
    if (stale()) return;

    const ac = new AbortController();
    player.abort = ac;
    player.postAt = performance.now();
    let res;
    try {
      res = await api('/api/v1/cameras/' + encodeURIComponent(camId) + '/whep', {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp' },
        body: pc.localDescription.sdp,
        signal: ac.signal,
      });
    } catch (e) {
      if (!stale()) fail('network', 0, String((e && e.message) || e));
      return;
    }
    const loc = res.headers.get('Location');
    const location = res.status === 201 && loc ? new URL(loc, res.url || window.location.href).href : null;
    if (stale()) {
      sendDelete(location);
      return;
    }
    if (res.status !== 201) {
      const body = await readJSON(res);
      if (stale()) return;
      fail(typeof body.kind === 'string' ? body.kind : '', res.status,
        typeof body.error === 'string' ? body.error : '', parseRetryAfter(res.headers.get('Retry-After')));
      return;
    }
    player.location = location;
    player.abort = null;
    let answer;
    try {
      answer = await res.text();
    } catch (e) {
      if (!stale()) fail('network', 0, String((e && e.message) || e));
      return;
    }
    if (stale()) return;
    try {
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    } catch (e) {
      if (!stale()) fail('answer_rejected', 0, String((e && e.message) || e));
      return;
    }
    if (stale()) return;
    setView('connecting', { key: player.reconnects === 0 ? 'player.connecting' : 'player.reconnecting' },
      '', '', player.causeKey);
    watchFirstFrame(gen);
    watchStats(gen);
  }

  function watchFirstFrame(gen) {
    let done = false;
    const mark = () => {
      if (done || gen !== player.gen) return;
      done = true;
      player.firstFrameMs = Math.round(performance.now() - player.postAt);
      player.backoff = BACKOFF_MIN_MS;
      player.lastProgressAt = performance.now();
      setView('playing', { key: 'player.connecting' });
    };
    if (typeof el.video.requestVideoFrameCallback === 'function') {
      player.vfcHandle = el.video.requestVideoFrameCallback(mark);
    }
    player.onLoadedData = mark;
    el.video.addEventListener('loadeddata', mark, { once: true });
  }

  // watchStats polls getStats: framesDecoded must grow, else after
  // STALL_MS without a new frame the session is restarted.
  function watchStats(gen) {
    player.frames = 0;
    player.lastProgressAt = performance.now();
    player.statsTimer = setInterval(async () => {
      const pc = player.pc;
      if (gen !== player.gen || !pc) return;
      let frames = null;
      try {
        const report = await pc.getStats();
        report.forEach((s) => {
          if (s.type === 'inbound-rtp' && (s.kind === 'video' || s.mediaType === 'video')) {
            frames = (frames || 0) + (s.framesDecoded || 0);
          }
        });
      } catch (_) {
        // A closed pc; the generation check below ends the loop.
      }
      if (gen !== player.gen) return;
      const now = performance.now();
      if (frames !== null && frames > player.frames) {
        player.frames = frames;
        player.lastProgressAt = now;
      } else if (now - player.lastProgressAt >= STALL_MS) {
        reconnect('stalled');
        return;
      }
      renderInfo();
    }, STATS_INTERVAL_MS);
  }

  function framesDecoded() {
    let n = player.frames;
    if (player.pc && typeof el.video.getVideoPlaybackQuality === 'function') {
      const q = el.video.getVideoPlaybackQuality();
      if (q && q.totalVideoFrames > n) n = q.totalVideoFrames;
    }
    return n;
  }

  window.vmsPlayer = Object.freeze({
    get state() { return player.state; },
    get cameraId() { return player.cameraId; },
    get firstFrameMs() { return player.firstFrameMs; },
    get errorKind() { return player.errorKind; },
    get reconnects() { return player.reconnects; },
    framesDecoded,
    select: (id) => selectCamera(typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id),
    stop: () => stopPlayer(),
  });

  // ---------------------------------------------------------------- language

  function renderLang() {
    const lang = I18N.lang();
    el.langButtons.forEach((b) => {
      b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
    });
  }

  function onLangChange() {
    renderLang();
    if (app.authRequired) renderLogin();
    rerenderList();
    renderPlayer();
  }

  // ---------------------------------------------------------------- start

  function init() {
    I18N.apply(document);
    renderLang();
    I18N.onChange(onLangChange);
    el.langButtons.forEach((b) => b.addEventListener('click', () => I18N.setLang(b.dataset.lang)));
    el.loginForm.addEventListener('submit', onLoginSubmit);
    el.logout.addEventListener('click', onLogout);
    el.stop.addEventListener('click', stopPlayer);
    el.retry.addEventListener('click', () => {
      if (player.cameraId !== null) selectCamera(player.cameraId);
    });
    el.video.muted = true;
    el.video.addEventListener('resize', renderInfo);

    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && !app.authRequired) {
        clearTimeout(app.listTimer);
        loadCameras();
      }
    });
    // Leaving the page ends the session; fetch keepalive outlives the page.
    window.addEventListener('pagehide', () => {
      const id = player.cameraId;
      teardown();
      player.cameraId = id;
    });
    // Back from the back/forward cache: resume what was being watched.
    window.addEventListener('pageshow', (ev) => {
      if (ev.persisted && player.cameraId !== null && !player.pc) {
        const id = player.cameraId;
        player.cameraId = null;
        selectCamera(id);
      }
    });

    renderPlayer();
    renderListStatus();
    el.appPanel.hidden = false;
    startListPolling();
  }

  init();
})();
