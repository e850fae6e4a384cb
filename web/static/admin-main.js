// admin-main.js: starts admin.html: who is logged in (GET /api/v1/me),
// permissions, the hash router (#cameras, #users, #units, #audit) and the
// language switch.
'use strict';

(function () {
  const A = window.VMSAdmin;
  const I18N = window.VMS_I18N;
  const { t, $, $$ } = A;
  const ORDER = ['cameras', 'users', 'units', 'audit'];
  const ADMIN_PERMS = ['camera.create', 'user.manage', 'unit.manage', 'audit.read'];
  let current = '';

  function toLogin() {
    // The viewer page holds the login form; it may send us back here.
    // The viewer page accepts a same-origin path in ?next= (api.js safeNext).
    location.replace('/?next=' + encodeURIComponent(location.pathname + location.hash));
  }
  window.VMS_ADMIN_ON_401 = toLogin;

  function setTitle() {
    document.title = t('adm.pageTitle');
    $$('.adm-lang-btn').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === I18N.lang())));
  }

  function deny(key) {
    $('#adm-loading').hidden = true;
    $('#adm-shell').hidden = true;
    $('#adm-denied').hidden = false;
    const p = $('#adm-denied-text');
    p.dataset.i18n = key;
    p.textContent = t(key);
  }

  function allowed(id) {
    const s = A.sections[id];
    return s && (!s.perm || A.can(s.perm));
  }

  function route() {
    let id = (location.hash || '').replace(/^#/, '').split('?')[0];
    if (!allowed(id)) id = ORDER.find(allowed);
    if (!id) return;
    if (current && current !== id && A.sections[current].hide) A.sections[current].hide();
    current = id;
    ORDER.forEach((s) => {
      $('#sec-' + s).hidden = s !== id;
    });
    $$('.adm-nav-item').forEach((a) => {
      const on = a.dataset.section === id;
      a.classList.toggle('active', on);
      if (on) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    document.body.dataset.section = id;
    Promise.resolve(A.sections[id].show()).catch(() => {});
  }

  A.rerenderAll = function () {
    ORDER.forEach((id) => {
      const s = A.sections[id];
      if (s && s.rerender && s.initialised) s.rerender();
    });
  };

  async function start() {
    I18N.apply(document);
    setTitle();
    $$('.adm-lang-btn').forEach((b) => b.addEventListener('click', () => I18N.setLang(b.dataset.lang)));
    I18N.onChange(() => {
      setTitle();
      renderUser();
      A.rerenderAll();
    });
    let me;
    try {
      me = await A.api.get('/api/v1/me');
    } catch (e) {
      if (e.status === 401) return; // toLogin already runs
      $('#adm-loading').hidden = true;
      deny('adm.loadFailed');
      return;
    }
    A.me = me;
    A.api.setCSRF(me.csrf_token);
    $('#adm-logout').hidden = false;
    $('#adm-logout').addEventListener('click', async () => {
      try {
        await A.api.post('/api/v1/logout', {});
      } catch (_) {
        // Gone anyway.
      }
      location.replace('./');
    });
    renderUser();
    if (me.must_change_password) return deny('adm.denied.mustChange');
    if (!ADMIN_PERMS.some((p) => A.can(p))) return deny('adm.denied.text');
    try {
      const data = await A.api.get('/api/v1/units');
      A.setUnits((data && data.units) || []);
    } catch (e) {
      return deny('adm.loadFailed');
    }
    renderUser();
    $('#adm-scope').textContent = me.unit ? me.unit.name + ' (' + me.unit.code + ')' : me.user.unit_code;
    ORDER.forEach((id) => {
      const link = $('.adm-nav-item[data-section="' + id + '"]');
      link.hidden = !allowed(id);
      if (allowed(id)) {
        A.sections[id].init();
        A.sections[id].initialised = true;
      }
    });
    $('#adm-loading').hidden = true;
    $('#adm-shell').hidden = false;
    window.addEventListener('hashchange', route);
    route();
  }

  function renderUser() {
    const me = A.me;
    if (!me) return;
    const box = $('#adm-user');
    box.replaceChildren(
      A.el('span', { class: 'adm-user-name', text: me.user.display_name || me.user.username }),
      A.el('span', { class: 'adm-user-role', text: A.roleLabel(me.user.role, me.user.unit_code) + ' · ' + (me.unit ? me.unit.name : me.user.unit_code) }));
    box.hidden = false;
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
