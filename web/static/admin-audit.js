// admin-audit.js: the audit log section of admin.html: GET /api/v1/audit
// with the filters of audit_query.go (user, unit, camera, kind, from, to,
// before, limit), paging by next_before, and the CSV export link.
'use strict';

(function () {
  const A = window.VMSAdmin;
  const { t, el, $ } = A;
  const I18N = window.VMS_I18N;

  const PAGE = 50;
  // Kinds offered in the filter; a prefix ("login") matches its sub-kinds.
  const KINDS = ['login', 'login.success', 'login.failure', 'login.locked', 'logout', 'session.expired',
    'password.change', 'live', 'live.start', 'live.stop', 'user', 'user.create', 'user.update',
    'camera', 'camera.create', 'camera.update', 'camera.delete', 'unit.import', 'audit.export', 'bootstrap'];

  let filters = {};
  let before = 0;
  let stack = [];
  let nextBefore = 0;
  let cameraNames = new Map();
  let loadedOnce = false;

  const S = {
    id: 'audit',
    perm: 'audit.read',
    init,
    show,
    rerender: () => { fillSelects(); if (loadedOnce) load(); },
  };
  A.sections.audit = S;

  function init() {
    $('#aud-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      apply();
    });
    $('#aud-clear').addEventListener('click', () => {
      $('#aud-form').reset();
      apply();
    });
    $('#aud-next').addEventListener('click', () => {
      if (!nextBefore) return;
      stack.push(before);
      before = nextBefore;
      load();
    });
    $('#aud-prev').addEventListener('click', () => {
      if (!stack.length) return;
      before = stack.pop();
      load();
    });
    $('#aud-first').addEventListener('click', () => {
      stack = [];
      before = 0;
      load();
    });
    fillSelects();
  }

  function fillSelects() {
    A.fillUnitSelect($('#aud-unit'), { empty: 'aud.f.allUnits' });
    const kind = $('#aud-kind');
    const keep = kind.value;
    kind.replaceChildren(el('option', { value: '', text: t('aud.f.allKinds') }),
      ...KINDS.map((k) => el('option', { value: k, text: kindLabel(k) + (k.includes('.') ? '' : ' (' + t('aud.f.all') + ')') })));
    kind.value = keep;
    fillCameras();
  }

  function fillCameras() {
    const sel = $('#aud-camera');
    const keep = sel.value;
    sel.replaceChildren(el('option', { value: '', text: t('aud.f.allCameras') }));
    Array.from(cameraNames.entries()).sort((a, b) => a[1].localeCompare(b[1], 'vi'))
      .forEach(([id, name]) => sel.append(el('option', { value: String(id), text: name + ' (#' + id + ')' })));
    sel.value = keep;
  }

  function kindLabel(k) {
    return I18N.has('kind.' + k) ? t('kind.' + k) : k;
  }

  async function show() {
    // Cameras and accounts for the filter choices, best effort.
    const [cams, users] = await Promise.all([
      A.api.get('/api/v1/cameras').catch(() => null),
      A.can('user.manage') ? A.api.get('/api/v1/users').catch(() => null) : null,
    ]);
    if (cams && cams.cameras) {
      cameraNames = new Map(cams.cameras.map((c) => [c.id, c.name]));
      fillCameras();
    }
    if (users && users.users) {
      $('#aud-user-list').replaceChildren(...users.users.map((u) =>
        el('option', { value: u.username, label: u.display_name || u.username })));
    }
    if (!loadedOnce) apply();
    else load();
  }

  function readFilters() {
    const f = {};
    const user = $('#aud-user').value.trim();
    if (user) f.user = user;
    if ($('#aud-unit').value) f.unit = $('#aud-unit').value;
    if ($('#aud-camera').value) f.camera = $('#aud-camera').value;
    if ($('#aud-kind').value) f.kind = $('#aud-kind').value;
    if ($('#aud-from').value) f.from = $('#aud-from').value;
    if ($('#aud-to').value) f.to = $('#aud-to').value;
    return f;
  }

  function query(f, extra) {
    const p = new URLSearchParams();
    Object.keys(f).forEach((k) => p.set(k, f[k]));
    if (extra) Object.keys(extra).forEach((k) => { if (extra[k]) p.set(k, extra[k]); });
    const s = p.toString();
    return s ? '?' + s : '';
  }

  function apply() {
    const form = $('#aud-form');
    A.clearErrors(form);
    $('#aud-error').hidden = true;
    const f = readFilters();
    if (f.from && f.to && f.from > f.to) {
      A.fieldError(form, 'to', t('aud.f.badRange'));
      return;
    }
    filters = f;
    before = 0;
    stack = [];
    $('#aud-export').href = '/api/v1/audit.csv' + query(filters);
    load();
  }

  async function load() {
    loadedOnce = true;
    const form = $('#aud-form');
    const tbody = $('#aud-tbody');
    tbody.classList.add('is-loading');
    try {
      const data = await A.api.get('/api/v1/audit' + query(filters, { before, limit: PAGE }));
      $('#aud-error').hidden = true;
      render((data && data.entries) || []);
      nextBefore = (data && data.next_before) || 0;
    } catch (e) {
      A.clearErrors(form);
      if (e.body && e.body.field && A.fieldError(form, e.body.field, A.message(e.body.error, e.body.field))) {
        A.focusFirstError(form);
      } else {
        $('#aud-error').textContent = t('aud.loadError', { text: A.errorText(e) });
        $('#aud-error').hidden = false;
      }
      nextBefore = 0;
    } finally {
      tbody.classList.remove('is-loading');
    }
    $('#aud-next').disabled = !nextBefore;
    $('#aud-prev').disabled = !stack.length;
    $('#aud-first').disabled = !stack.length;
    $('#aud-page').textContent = t('aud.page', { n: stack.length + 1 });
  }

  function kindClass(k) {
    if (k === 'login.failure' || k === 'login.locked') return 'kind-bad';
    if (k.startsWith('live')) return 'kind-live';
    if (k.startsWith('login') || k === 'logout' || k === 'session.expired') return 'kind-auth';
    return 'kind-change';
  }

  // short writes a detail value; an object (a user or camera snapshot)
  // is cut to the fields that identify it.
  function short(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'boolean') return v ? '✓' : '✗';
    if (Array.isArray(v)) return v.map(short).join(', ');
    if (typeof v === 'object') {
      const keys = ['username', 'name', 'role', 'unit_code'].filter((k) => v[k] !== undefined && v[k] !== '');
      if (!keys.length) return JSON.stringify(v);
      return keys.map((k) => (k === 'role' ? A.roleLabel(v[k]) : String(v[k]))).join(' · ');
    }
    return String(v);
  }

  // detailText summarises the detail object: "key: value" pairs.
  function detailText(d) {
    if (!d || typeof d !== 'object') return '';
    const parts = Object.keys(d).filter((k) => k !== 'camera_name').map((k) => {
      const label = I18N.has('detail.' + k) ? t('detail.' + k) : k;
      let v = d[k];
      if (k === 'changes' && v && typeof v === 'object') {
        v = Object.keys(v).map((f) => f + ': ' + short(v[f] && v[f].old) + ' → ' + short(v[f] && v[f].new)).join(', ');
      } else if (k === 'reason' && typeof v === 'string' && I18N.has('reason.' + v)) {
        v = t('reason.' + v);
      } else if ((k === 'duration_s' || k === 'duration_seconds') && typeof v === 'number') {
        v = t('aud.seconds', { n: Math.round(v) });
      }
      return label + ': ' + short(v);
    });
    const s = parts.join('; ');
    return s.length > 220 ? s.slice(0, 217) + '…' : s;
  }

  function render(entries) {
    const tbody = $('#aud-tbody');
    tbody.replaceChildren();
    if (!entries.length) tbody.append(A.emptyRow(7, 'aud.empty'));
    entries.forEach((e) => {
      const named = e.detail && typeof e.detail.camera_name === 'string' ? e.detail.camera_name : '';
      const cam = e.camera_id ? (cameraNames.get(e.camera_id) || named || '#' + e.camera_id) : '';
      tbody.append(el('tr', { dataset: { id: String(e.id), kind: e.kind, user: e.username || '' } },
        el('td', { class: 'nowrap small', text: A.fmtTime(e.at) }),
        el('td', null, el('span', { class: 'kind ' + kindClass(e.kind), text: kindLabel(e.kind), title: e.kind })),
        el('td', { class: 'mono small nowrap', text: e.username || '' }),
        el('td', { class: 'small', text: e.unit_code ? A.unitName(e.unit_code) : '', title: e.unit_code || '' }),
        el('td', { class: 'small', text: cam }),
        el('td', { class: 'mono small', text: e.remote_addr || '' }),
        el('td', { class: 'small detail-cell', text: detailText(e.detail), title: e.detail ? JSON.stringify(e.detail) : '' })));
    });
  }
})();
