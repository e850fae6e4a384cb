// admin-units.js: the units section of admin.html: the tree in scope and
// the CSV import (POST /api/v1/units/import, body text/csv).
'use strict';

(function () {
  const A = window.VMSAdmin;
  const { t, el, $ } = A;

  let counts = { cameras: new Map(), users: new Map() };

  const S = {
    id: 'units',
    perm: null, // readable by every admin; the import needs unit.manage
    init,
    show,
    rerender: render,
  };
  A.sections.units = S;

  function init() {
    $('#unit-filter').addEventListener('input', applyFilter);
    $('#unit-import-form').addEventListener('submit', onImport);
    $('#unit-import-card').hidden = !A.can('unit.manage');
  }

  async function reloadUnits() {
    const data = await A.api.get('/api/v1/units');
    A.setUnits((data && data.units) || []);
  }

  async function show() {
    try {
      await reloadUnits();
    } catch (_) {
      // Keep the units loaded at start.
    }
    render();
    // Per-unit counts, best effort.
    const [cams, users] = await Promise.all([
      A.can('camera.create') ? A.api.get('/api/v1/cameras').catch(() => null) : null,
      A.can('user.manage') ? A.api.get('/api/v1/users').catch(() => null) : null,
    ]);
    counts = { cameras: tally(cams && cams.cameras), users: tally(users && users.users) };
    render();
  }

  function tally(list) {
    const m = new Map();
    (list || []).forEach((x) => m.set(x.unit_code, (m.get(x.unit_code) || 0) + 1));
    return m;
  }

  function render() {
    const tbody = $('#unit-tbody');
    tbody.replaceChildren();
    if (!A.units.length) tbody.append(A.emptyRow(7, 'unit.empty'));
    A.units.forEach((u) => {
      const depth = A.unitDepth(u.code);
      const parent = A.unitByCode.get(u.parent_code);
      const nc = counts.cameras.get(u.code) || 0;
      const nu = counts.users.get(u.code) || 0;
      tbody.append(el('tr', {
        class: 'unit-row level-' + u.level,
        dataset: { code: u.code, search: A.fold([u.name, u.code, u.kind, A.levelLabel(u.level)].join(' ')) },
      },
      el('td', null, el('span', { class: 'tree-name depth-' + Math.min(depth, 3), text: u.name })),
      el('td', { class: 'mono', text: u.code }),
      el('td', null, el('span', { class: 'tag level-tag-' + u.level, text: A.levelLabel(u.level) })),
      el('td', { text: u.kind || '' }),
      el('td', { class: 'small', text: parent ? parent.name : (u.parent_code || '—') }),
      el('td', { class: 'num' + (nc ? '' : ' muted'), text: String(nc) }),
      el('td', { class: 'num' + (nu ? '' : ' muted'), text: String(nu) })));
    });
    applyFilter();
  }

  function applyFilter() {
    const shown = A.filterRows($('#unit-tbody'), $('#unit-filter').value);
    const by = { province: 0, district: 0, commune: 0 };
    A.units.forEach((u) => { if (u.level in by) by[u.level] += 1; });
    $('#unit-count').textContent = t('unit.count', { shown, total: A.units.length, d: by.district, c: by.commune });
  }

  // lineText turns "line 3: level: must be …" into words.
  function lineText(msg) {
    const m = String(msg || '').match(/^line (\d+): (?:([a-z_]+): )?(.*)$/);
    if (!m) return A.message(msg);
    return m[2] ? t('unit.import.lineCol', { line: m[1], col: m[2], text: A.message(m[3]) })
      : t('unit.import.line', { line: m[1], text: A.message(m[3]) });
  }

  async function onImport(ev) {
    ev.preventDefault();
    const form = $('#unit-import-form');
    A.clearErrors(form);
    const out = $('#unit-import-result');
    out.hidden = true;
    out.replaceChildren();
    const file = $('#unit-file').files[0];
    if (!file) {
      A.fieldError(form, 'file', t('unit.import.noFile'));
      return A.focusFirstError(form);
    }
    const submit = form.querySelector('button[type=submit]');
    await A.busy(submit, async () => {
      let text;
      try {
        text = await file.text();
      } catch (_) {
        A.fieldError(form, 'file', t('unit.import.unreadable'));
        return;
      }
      try {
        const res = await A.api.post('/api/v1/units/import', text, { type: 'text/csv; charset=utf-8' });
        out.className = 'adm-result result-ok';
        out.append(el('p', { class: 'probe-title', text: t('unit.import.done') }),
          el('p', { text: t('unit.import.counts', { c: res.created || 0, u: res.updated || 0, n: res.unchanged || 0 }) }));
        out.hidden = false;
        await reloadUnits();
        A.rerenderAll();
        show();
      } catch (e) {
        out.className = 'adm-result result-fail';
        const body = e.body || {};
        const lines = Array.isArray(body.fields) && body.fields.length ? body.fields.map((f) => f.message)
          : body.error && e.status === 400 ? [body.error] : [];
        out.append(el('p', { class: 'probe-title', text: t('unit.import.failed') }));
        if (lines.length) out.append(el('ul', { class: 'line-errors' }, lines.map((l) => el('li', { text: lineText(l) }))));
        else out.append(el('p', { text: A.errorText(e) }));
        out.hidden = false;
      }
    });
  }
})();
