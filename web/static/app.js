// app.js: the viewer page (index.html): login, first-login password
// change, logout, the navigator, the live grid, saved views and the
// camera status page (#/camera/12).
//
// Test hooks: window.vmsPlayers (the grid's VMS.Player per tile, index =
// tile), window.vmsGrid, window.vmsStore; #grid .tile[data-state][data-reason].
'use strict';

(function () {
  const VMS = window.VMS;
  const I18N = window.VMS_I18N;
  const t = I18N.t;
  const api = VMS.api;
  const store = VMS.store;

  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(window.location.search);
  const next = api.safeNext(params.get('next') || '');

  let grid = null;
  let nav = null;
  let views = null;
  let page = null;
  let started = false;
  let loginError = null; // {key, params}
  let loginHint = 'login.hint';
  let forcedPassword = false;

  // ---------------------------------------------------------- language

  function renderLang() {
    document.querySelectorAll('[data-lang]').forEach((b) => {
      b.setAttribute('aria-pressed', String(b.dataset.lang === I18N.lang()));
    });
  }

  function onLangChange() {
    renderLang();
    renderLogin();
    renderUser();
    if (nav) nav.renderAll();
    if (grid) grid.renderAll();
    if (views) views.render();
    if (page) page.renderAll();
  }

  // ---------------------------------------------------------- login

  function showLogin(hintKey) {
    stopAll();
    loginHint = hintKey || 'login.hint';
    $('topbar').hidden = true;
    $('app-view').hidden = true;
    $('login-view').hidden = false;
    document.body.classList.add('app--login');
    renderLogin();
    $('login-username').focus();
  }

  function renderLogin() {
    const hint = $('login-hint');
    hint.dataset.i18n = loginHint;
    hint.textContent = t(loginHint);
    hint.classList.toggle('login-card__hint--warn', loginHint === 'login.expired');
    const err = $('login-error');
    err.textContent = loginError ? t(loginError.key, loginError.params) : '';
    err.hidden = !loginError;
  }

  async function onLoginSubmit(ev) {
    ev.preventDefault();
    const user = $('login-username').value.trim();
    const pass = $('login-password').value;
    if (!user || !pass) {
      loginError = { key: 'login.missing' };
      renderLogin();
      return;
    }
    const submit = $('login-submit');
    submit.disabled = true;
    submit.textContent = t('login.submitting');
    loginError = null;
    renderLogin();
    try {
      const res = await api.login(user, pass);
      if (res.ok) {
        $('login-password').value = '';
        // A fresh page: nothing of a previous session survives.
        const target = next || '/' + window.location.hash;
        window.location.replace(target);
        return;
      }
      if (res.status === 401 || res.status === 400) {
        loginError = { key: 'login.bad' };
      } else if (res.status === 429) {
        const s = parseInt(res.headers.get('Retry-After') || '', 10);
        loginError = s > 0 ? { key: 'login.limitedAfter', params: { s } } : { key: 'login.limited' };
      } else {
        loginError = { key: 'login.failed', params: { status: res.status } };
      }
    } catch (_) {
      loginError = { key: 'login.network' };
    } finally {
      submit.disabled = false;
      submit.textContent = t('login.submit');
    }
    renderLogin();
    $('login-password').select();
  }

  async function onLogout() {
    stopAll();
    await api.logout();
    window.location.replace('/?reason=loggedout');
  }

  function stopAll() {
    if (grid) grid.stopAll();
    if (page) page.hide();
    store.stop();
    started = false;
  }

  // ---------------------------------------------------------- password

  function openPassword(forced) {
    forcedPassword = forced;
    $('pw-must').hidden = !forced;
    $('pw-cancel').hidden = forced;
    $('pw-error').hidden = true;
    ['pw-old', 'pw-new', 'pw-confirm'].forEach((id) => { $(id).value = ''; });
    const d = $('pw-dialog');
    if (!d.open) d.showModal();
    $('pw-old').focus();
  }

  async function onPasswordSubmit(ev) {
    ev.preventDefault();
    const oldPw = $('pw-old').value;
    const newPw = $('pw-new').value;
    const err = $('pw-error');
    const show = (text) => {
      err.textContent = text;
      err.hidden = false;
    };
    if (!oldPw || !newPw || !$('pw-confirm').value) return show(t('pw.missing'));
    if (newPw !== $('pw-confirm').value) return show(t('pw.mismatch'));
    if (newPw === oldPw) return show(t('pw.same'));
    try {
      await api.json('POST', '/api/v1/me/password', { old_password: oldPw, new_password: newPw });
    } catch (e) {
      if (!(e instanceof VMS.ApiError)) return show(t('login.network'));
      const field = e.body && e.body.field;
      if (e.status === 403 || (e.status === 400 && field === 'old_password') || e.status === 401) {
        return show(t('pw.wrongOld'));
      }
      if (e.status === 400 || e.status === 422) return show(t('pw.rejected', { text: e.body.error || '' }));
      return show(t('pw.failed', { status: e.status }));
    }
    $('pw-dialog').close();
    const me = await api.loadMe().catch(() => null);
    if (!me) {
      // Changing the password may end the session: log in again.
      showLogin('pw.done');
      return undefined;
    }
    toast(t('pw.done'));
    if (forcedPassword) {
      forcedPassword = false;
      if (next) window.location.replace(next);
      else startApp(me);
    }
    return undefined;
  }

  // ---------------------------------------------------------- app

  function renderUser() {
    const me = api.me();
    if (!me) return;
    const u = me.user || {};
    $('user-name').textContent = u.display_name || u.username || '';
    const role = u.role ? t('role.' + u.role) : '';
    $('user-role').textContent = [role, me.unit && me.unit.name].filter(Boolean).join(' · ');
    $('nav-admin').hidden = !(api.can('user.manage') || api.can('camera.create') || api.can('camera.update'));
  }

  function gridKey() {
    const me = api.me();
    return 'vms.grid.' + ((me && me.user && me.user.username) || '');
  }

  function saveGrid() {
    try {
      window.localStorage.setItem(gridKey(), JSON.stringify({ layout: grid.layout, cells: grid.getCells() }));
    } catch (_) {
      // Not remembered.
    }
  }

  function restoreGrid() {
    try {
      const s = JSON.parse(window.localStorage.getItem(gridKey()) || 'null');
      if (s && typeof s.layout === 'number' && Array.isArray(s.cells)) grid.setCells(s.cells, s.layout);
    } catch (_) {
      // Start empty.
    }
  }

  function renderLayoutButtons() {
    document.querySelectorAll('[data-layout]').forEach((b) => {
      b.setAttribute('aria-pressed', String(Number(b.dataset.layout) === grid.layout));
      b.title = t('grid.layout.n', { n: b.dataset.layout });
    });
  }

  function buildOnce() {
    if (grid) return;
    grid = new VMS.Grid($('grid'), {
      onInfo: (id) => { window.location.hash = '#/camera/' + id; },
      onChange: () => {
        if (!grid || !started) return; // the constructor's own first layout
        renderLayoutButtons();
        saveGrid();
        if (nav) nav.refreshItems();
      },
    });
    window.vmsGrid = grid;
    window.vmsPlayers = grid.players;
    window.vmsStore = store;
    nav = new VMS.Navigator({
      search: $('nav-search'),
      tree: $('unit-tree'),
      list: $('camera-list'),
      listTitle: $('camera-list-title'),
      count: $('camera-count'),
      status: $('camera-list-status'),
      mode: $('push-mode'),
    }, {
      onPick: (id) => {
        if (page && !$('camera-page').hidden) window.location.hash = '#/';
        grid.fill(id);
      },
      onInfo: (id) => { window.location.hash = '#/camera/' + id; },
      isShown: (id) => grid.getCells().includes(id),
    });
    views = new VMS.Views({
      select: $('views-select'),
      save: $('views-save'),
      del: $('views-delete'),
      dialog: $('view-dialog'),
      form: $('view-form'),
      name: $('view-name'),
      error: $('view-error'),
      cancel: $('view-cancel'),
      confirm: $('confirm-dialog'),
      confirmText: $('confirm-text'),
      confirmOk: $('confirm-ok'),
      confirmCancel: $('confirm-cancel'),
      toast: $('toast'),
    }, grid);
    page = new VMS.CameraPage({
      root: $('camera-page'),
      name: $('cam-name'),
      badge: $('cam-badge'),
      unit: $('cam-unit'),
      grid: $('cam-grid'),
      details: $('cam-details'),
      history: $('cam-history'),
      noHistory: $('cam-nohistory'),
      notFound: $('cam-notfound'),
      body: $('cam-body'),
      watch: $('cam-watch'),
    }, {
      onWatch: (id) => {
        window.location.hash = '#/';
        grid.fill(id);
      },
    });
    document.querySelectorAll('[data-layout]').forEach((b) => {
      b.addEventListener('click', () => grid.setLayout(Number(b.dataset.layout)));
    });
    $('grid-clear').addEventListener('click', () => grid.clearAll());
    window.addEventListener('hashchange', route);
  }

  function route() {
    if (!started) return;
    const m = /^#\/camera\/(\d+)$/.exec(window.location.hash);
    const onCamera = Boolean(m);
    $('live-view').hidden = onCamera;
    $('nav-live').classList.toggle('topbar__link--active', !onCamera);
    if (onCamera) {
      // The grid keeps its cameras but stops pulling while hidden.
      grid.stopAll();
      page.show(Number(m[1]));
    } else {
      page.hide();
      grid.syncAll();
    }
  }

  function startApp(me) {
    buildOnce();
    document.body.classList.remove('app--login');
    $('login-view').hidden = true;
    $('topbar').hidden = false;
    $('app-view').hidden = false;
    renderUser();
    views.render();
    if (me.must_change_password) {
      openPassword(true);
      return;
    }
    if (started) return;
    started = true;
    restoreGrid();
    renderLayoutButtons();
    nav.renderMode();
    store.start().then(() => grid.syncAll());
    views.load();
    route();
  }

  function toast(text) {
    const el = $('toast');
    el.textContent = text;
    el.hidden = false;
    window.setTimeout(() => { el.hidden = true; }, 4000);
  }

  // ---------------------------------------------------------- start

  async function init() {
    I18N.apply(document);
    renderLang();
    I18N.onChange(onLangChange);
    document.querySelectorAll('[data-lang]').forEach((b) => {
      b.addEventListener('click', () => I18N.setLang(b.dataset.lang));
    });
    $('login-form').addEventListener('submit', onLoginSubmit);
    $('logout-button').addEventListener('click', onLogout);
    $('password-button').addEventListener('click', () => openPassword(false));
    $('pw-form').addEventListener('submit', onPasswordSubmit);
    $('pw-cancel').addEventListener('click', () => $('pw-dialog').close());
    $('pw-dialog').addEventListener('cancel', (ev) => {
      if (forcedPassword) ev.preventDefault();
    });
    api.onUnauthorized((hadSession) => showLogin(hadSession ? 'login.expired' : 'login.required'));
    // Leaving the page ends every WHEP session (fetch keepalive).
    window.addEventListener('pagehide', () => { if (grid) grid.stopAll(); });
    window.addEventListener('pageshow', (ev) => { if (ev.persisted && grid && started) route(); });

    let me = null;
    try {
      me = await api.loadMe();
    } catch (_) {
      loginError = { key: 'login.network' };
    }
    if (!me) {
      const reason = params.get('reason');
      showLogin(reason === 'expired' ? 'login.expired' : reason === 'loggedout' ? 'login.loggedOut' : 'login.hint');
      return;
    }
    if (next && !me.must_change_password) {
      window.location.replace(next);
      return;
    }
    startApp(me);
  }

  init();
})();
