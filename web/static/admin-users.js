// admin-users.js: the accounts section of admin.html: list, create, edit
// role/unit/name, disable/enable, reset password, bulk commune accounts.
'use strict';

(function () {
  const A = window.VMSAdmin;
  const { t, el, $ } = A;

  let users = [];
  let editing = null;
  let bulk = null; // {unit, credentials}

  // ROLE_LEVELS: the unit levels each role may be bound to (role.go).
  const ROLE_LEVELS = {
    admin: null, police: null, province: ['province'], district: ['district'], commune: ['commune'],
  };

  const S = {
    id: 'users',
    perm: 'user.manage',
    init,
    show: () => load(),
    rerender: () => { render(); fillStatic(); },
    users: () => users,
    load,
  };
  A.sections.users = S;

  function init() {
    $('#usr-add').addEventListener('click', () => openForm(null));
    $('#usr-bulk').addEventListener('click', openBulk);
    $('#usr-reload').addEventListener('click', () => load());
    $('#usr-filter').addEventListener('input', applyFilter);
    $('#usr-role-filter').addEventListener('change', applyFilter);
    $('#usr-form').addEventListener('submit', onSubmit);
    $('#usr-role').addEventListener('change', () => fillFormUnits());
    $('#bulk-form').addEventListener('submit', onBulk);
    $('#bulk-csv').addEventListener('click', bulkCSV);
    $('#bulk-print').addEventListener('click', () => window.print());
    $('#bulk-dialog').addEventListener('close', () => {
      document.body.classList.remove('printing-bulk');
      bulk = null;
      $('#bulk-tbody').replaceChildren();
      load();
    });
    $('#secret-copy').addEventListener('click', async () => {
      const ok = await A.copyText($('#secret-value').textContent);
      $('#secret-copied').textContent = ok ? t('adm.copied') : t('adm.copyFailed');
    });
    fillStatic();
  }

  function fillStatic() {
    const rf = $('#usr-role-filter');
    const keep = rf.value;
    rf.replaceChildren(el('option', { value: '', text: t('usr.allRoles') }),
      ...A.roles.map((r) => el('option', { value: r, text: A.roleLabel(r) })));
    rf.value = keep;
  }

  async function load() {
    try {
      const data = await A.api.get('/api/v1/users');
      users = (data && data.users) || [];
      A.setMsg($('#usr-msg'), '');
      render();
    } catch (e) {
      A.setMsg($('#usr-msg'), t('usr.loadError', { text: A.errorText(e) }), 'error');
    }
  }

  function render() {
    const tbody = $('#usr-tbody');
    tbody.replaceChildren();
    const sorted = users.slice().sort((a, b) =>
      (A.unitIndex(a.unit_code) - A.unitIndex(b.unit_code)) || a.username.localeCompare(b.username));
    if (!sorted.length) tbody.append(A.emptyRow(5, 'usr.empty'));
    const self = A.me.user.id;
    sorted.forEach((u) => {
      const state = el('div', { class: 'mode-cell' },
        u.disabled ? el('span', { class: 'badge badge-disabled', text: t('usr.disabled') })
          : el('span', { class: 'badge badge-online', text: t('usr.active') }),
        u.must_change_password ? el('span', { class: 'tag tag-warn', text: t('usr.mustChange') }) : null);
      const last = el('div', { class: 'small muted last-login',
        text: u.last_login_at && A.fmtTime(u.last_login_at, true)
          ? t('usr.lastLogin', { at: A.fmtTime(u.last_login_at, true) }) : t('usr.never') });
      const isSelf = u.id === self;
      const actions = el('td', { class: 'col-actions' },
        el('button', { type: 'button', class: 'btn btn-small btn-secondary', text: t('adm.edit'), dataset: { action: 'edit' },
          on: { click: () => openForm(u) } }));
      if (!isSelf) {
        actions.append(
          el('button', { type: 'button', class: 'btn btn-small btn-secondary', text: t('usr.reset'), dataset: { action: 'reset' },
            on: { click: () => onReset(u) } }),
          el('button', {
            type: 'button', class: 'btn btn-small ' + (u.disabled ? 'btn-secondary' : 'btn-danger-ghost'),
            text: u.disabled ? t('usr.enable') : t('usr.disable'), dataset: { action: u.disabled ? 'enable' : 'disable' },
            on: { click: () => onToggle(u) },
          }));
      } else {
        actions.append(el('span', { class: 'small muted', text: t('usr.you') }));
      }
      const tr = el('tr', {
        class: u.disabled ? 'row-disabled' : '',
        dataset: {
          id: String(u.id), role: u.role, username: u.username,
          search: A.fold([u.username, u.display_name, A.roleLabel(u.role, u.unit_code), u.unit_code, A.unitName(u.unit_code)].join(' ')),
        },
      },
      el('td', null, el('div', { class: 'mono cell-main', text: u.username }),
        u.display_name ? el('div', { class: 'small muted', text: u.display_name }) : null),
      el('td', null, el('span', { class: 'role role-' + u.role, text: A.roleLabel(u.role, u.unit_code) })),
      el('td', { class: 'unit-cell' }, el('div', { text: A.unitName(u.unit_code) }), el('div', { class: 'small muted', text: u.unit_code })),
      el('td', null, state, last),
      actions);
      tbody.append(tr);
    });
    applyFilter();
  }

  function applyFilter() {
    const role = $('#usr-role-filter').value;
    const shown = A.filterRows($('#usr-tbody'), $('#usr-filter').value, role ? (tr) => tr.dataset.role === role : null);
    $('#usr-count').textContent = t('usr.count', { shown, total: users.length });
  }

  // --- create / edit -----------------------------------------------------

  function fillFormUnits() {
    const levels = ROLE_LEVELS[$('#usr-role').value];
    A.fillUnitSelect($('#usr-unit'), { empty: 'usr.f.unitChoose', filter: levels ? (u) => levels.includes(u.level) : null });
  }

  function openForm(u) {
    editing = u;
    const form = $('#usr-form');
    form.reset();
    A.clearErrors(form);
    $('#usr-form-title').textContent = u ? t('usr.editTitle', { name: u.username }) : t('usr.addTitle');
    const role = $('#usr-role');
    role.replaceChildren(el('option', { value: '', text: t('usr.f.roleChoose') }),
      ...A.roles.map((r) => el('option', { value: r, text: A.roleLabel(r) })));
    role.value = u ? u.role : '';
    fillFormUnits();
    $('#usr-unit').value = u ? u.unit_code : '';
    $('#usr-username').value = u ? u.username : '';
    $('#usr-username').disabled = !!u;
    $('#usr-display').value = u ? u.display_name : '';
    $('#usr-pass-field').hidden = !!u;
    const self = u && u.id === A.me.user.id;
    role.disabled = !!self;
    $('#usr-unit').disabled = !!self;
    A.openDialog($('#usr-dialog'));
    (u ? $('#usr-display') : $('#usr-username')).focus();
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    const form = $('#usr-form');
    A.clearErrors(form);
    const v = {
      username: $('#usr-username').value.trim().toLowerCase(),
      display_name: $('#usr-display').value.trim(),
      role: $('#usr-role').value,
      unit_code: $('#usr-unit').value,
      password: $('#usr-password').value,
    };
    let ok = true;
    const bad = (f, key, p) => { ok = false; A.fieldError(form, f, t(key, p)); };
    if (!editing) {
      if (!v.username) bad('username', 'err.required');
      else if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(v.username)) bad('username', 'err.username');
      if (v.password && v.password.length < 10) bad('password', 'err.password.short', { n: 10 });
    }
    if (!v.role) bad('role', 'err.roleRequired');
    if (!v.unit_code) bad('unit_code', 'err.unitRequired');
    if (!ok) return A.focusFirstError(form);
    const submit = form.querySelector('button[type=submit]');
    await A.busy(submit, async () => {
      try {
        if (editing) {
          const patch = {};
          if (v.display_name !== (editing.display_name || '')) patch.display_name = v.display_name;
          if (v.role !== editing.role) patch.role = v.role;
          if (v.unit_code !== editing.unit_code) patch.unit_code = v.unit_code;
          if (Object.keys(patch).length) await A.api.patch('/api/v1/users/' + editing.id, patch);
          A.closeDialog($('#usr-dialog'));
          A.toast(t('usr.saved', { name: editing.username }), 'ok');
        } else {
          const body = { username: v.username, display_name: v.display_name, role: v.role, unit_code: v.unit_code };
          if (v.password) body.password = v.password;
          const res = await A.api.post('/api/v1/users', body);
          A.closeDialog($('#usr-dialog'));
          const name = (res && res.user && res.user.username) || v.username;
          if (res && res.password) {
            A.showSecret(t('usr.createdTitle'), t('usr.createdText', { name }), res.password);
          } else {
            A.toast(t('usr.created', { name }), 'ok');
          }
        }
        await load();
      } catch (e) {
        A.showErrors(form, e, { conflictField: 'username', notFoundField: 'unit_code' });
      }
    });
  }

  // --- disable / enable / reset -----------------------------------------

  function onToggle(u) {
    const disable = !u.disabled;
    A.confirm(
      disable ? t('usr.disableTitle') : t('usr.enableTitle'),
      disable ? t('usr.disableText', { name: u.username }) : t('usr.enableText', { name: u.username }),
      disable ? t('usr.disable') : t('usr.enable'),
      () => A.api.patch('/api/v1/users/' + u.id, { disabled: disable }),
    ).then((ok) => {
      if (!ok) return;
      A.toast(disable ? t('usr.disabledToast', { name: u.username }) : t('usr.enabledToast', { name: u.username }), 'ok');
      load();
    });
  }

  function onReset(u) {
    let res = null;
    A.confirm(t('usr.resetTitle'), t('usr.resetText', { name: u.username }), t('usr.reset'), async () => {
      res = await A.api.patch('/api/v1/users/' + u.id, { reset_password: true });
    }).then((ok) => {
      if (!ok || !res) return;
      A.showSecret(t('usr.resetDoneTitle'), t('usr.resetDoneText', { name: u.username }), res.password || '');
      load();
    });
  }

  // --- bulk commune accounts ---------------------------------------------

  function openBulk() {
    const form = $('#bulk-form');
    A.clearErrors(form);
    bulk = null;
    $('#bulk-result').hidden = true;
    $('#bulk-tbody').replaceChildren();
    const sel = $('#bulk-unit');
    A.fillUnitSelect(sel, { empty: 'bulk.unitChoose', filter: (u) => u.level !== 'commune' });
    const districts = A.units.filter((u) => u.level === 'district');
    if (districts.length === 1) sel.value = districts[0].code;
    $('#bulk-submit').disabled = false;
    A.openDialog($('#bulk-dialog'));
  }

  async function onBulk(ev) {
    ev.preventDefault();
    const form = $('#bulk-form');
    A.clearErrors(form);
    const code = $('#bulk-unit').value;
    if (!code) {
      A.fieldError(form, 'unit_code', t('err.unitRequired'));
      return A.focusFirstError(form);
    }
    await A.busy($('#bulk-submit'), async () => {
      try {
        const res = await A.api.post('/api/v1/units/' + encodeURIComponent(code) + '/commune-accounts', {});
        bulk = { unit: code, credentials: (res && res.credentials) || [] };
        renderBulk();
      } catch (e) {
        A.showErrors(form, e, { notFoundField: 'unit_code' });
      }
    });
  }

  function renderBulk() {
    const creds = bulk.credentials;
    $('#bulk-result').hidden = false;
    const name = A.unitName(bulk.unit);
    $('#bulk-summary').textContent = creds.length
      ? t('bulk.summary', { n: creds.length, unit: name })
      : t('bulk.none', { unit: name });
    $('#bulk-csv').disabled = !creds.length;
    $('#bulk-print').disabled = !creds.length;
    $('#bulk-print-title').textContent = t('bulk.printTitle', { unit: name, date: A.fmtTime(new Date().toISOString()) });
    const tbody = $('#bulk-tbody');
    tbody.replaceChildren();
    if (!creds.length) tbody.append(A.emptyRow(4, 'bulk.empty'));
    creds.forEach((c) => tbody.append(el('tr', null,
      el('td', { text: c.unit_name }),
      el('td', { class: 'mono', text: c.unit_code }),
      el('td', { class: 'mono cell-main bulk-username', text: c.username }),
      el('td', { class: 'mono secret-cell bulk-password', text: c.password }))));
    document.body.classList.add('printing-bulk');
  }

  function bulkCSV() {
    if (!bulk) return;
    const rows = [[t('bulk.csv.unitCode'), t('bulk.csv.unitName'), t('bulk.csv.username'), t('bulk.csv.password')]];
    bulk.credentials.forEach((c) => rows.push([c.unit_code, c.unit_name, c.username, c.password]));
    A.downloadCSV('tai-khoan-xa-' + bulk.unit + '.csv', rows);
  }
})();
