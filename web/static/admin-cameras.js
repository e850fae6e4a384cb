// admin-cameras.js: the cameras section of admin.html: list with live
// state, add/edit form with "test connection", delete.
'use strict';

(function () {
  const A = window.VMSAdmin;
  const { t, el, $ } = A;

  const STATES = ['idle', 'connecting', 'online', 'offline', 'error'];
  let cameras = [];
  let editing = null; // the camera being edited, or null for a new one
  let refreshTimer = 0;
  let probeAbort = null;

  const S = {
    id: 'cameras',
    perm: 'camera.create',
    init,
    show,
    hide,
    rerender: () => { render(); fillFilters(); },
    cameras: () => cameras,
    load,
  };
  A.sections.cameras = S;

  function init() {
    $('#cam-add').addEventListener('click', () => openForm(null));
    $('#cam-reload').addEventListener('click', () => load());
    $('#cam-filter').addEventListener('input', applyFilter);
    $('#cam-unit-filter').addEventListener('change', applyFilter);
    $('#cam-form').addEventListener('submit', onSubmit);
    $('#cam-probe').addEventListener('click', onProbe);
    $('#cam-dialog').addEventListener('close', () => { if (probeAbort) probeAbort.abort(); });
    $('#cam-pass-clear').addEventListener('change', (e) => {
      $('#cam-pass').disabled = e.target.checked;
      if (e.target.checked) $('#cam-pass').value = '';
    });
    fillFilters();
  }

  function fillFilters() {
    A.fillUnitSelect($('#cam-unit-filter'), { empty: 'cam.allUnits' });
  }

  async function show() {
    await load();
    clearInterval(refreshTimer);
    refreshTimer = setInterval(() => { if (!document.hidden) load(true); }, 10000);
  }

  function hide() {
    clearInterval(refreshTimer);
  }

  async function load(quiet) {
    try {
      const data = await A.api.get('/api/v1/cameras');
      cameras = (data && data.cameras) || [];
      A.setMsg($('#cam-msg'), '');
      render();
    } catch (e) {
      if (!quiet || !cameras.length) A.setMsg($('#cam-msg'), t('cam.loadError', { text: A.errorText(e) }), 'error');
    }
  }

  function stateOf(c) {
    const st = (c.status && c.status.state) || 'idle';
    return STATES.includes(st) ? st : 'idle';
  }

  function badge(c) {
    const st = c.enabled ? stateOf(c) : 'disabled';
    const s = c.status || {};
    const b = el('span', { class: 'badge badge-' + st, text: t('cam.state.' + st) });
    const parts = [];
    if (c.enabled && s.reason) parts.push(s.reason);
    const wrap = el('div', { class: 'state-cell' }, b);
    if (c.enabled && s.video_codec) {
      let txt = s.video_codec;
      if (s.width && s.height) txt += ' · ' + s.width + '×' + s.height;
      if (s.fps) txt += ' · ' + Math.round(s.fps) + ' fps';
      wrap.append(el('div', { class: 'small muted', text: txt }));
    }
    if (parts.length) {
      b.title = parts.join(' — ');
      if (st === 'offline' || st === 'error') {
        const hint = window.VMS_REASONS.hint(s.reason);
        wrap.append(el('div', { class: 'small reason', text: hint ? t(hint) : s.reason, title: s.reason }));
      }
    }
    return wrap;
  }

  function render() {
    const tbody = $('#cam-tbody');
    tbody.replaceChildren();
    const sorted = cameras.slice().sort((a, b) =>
      (A.unitIndex(a.unit_code) - A.unitIndex(b.unit_code)) || a.name.localeCompare(b.name, 'vi'));
    if (!sorted.length) tbody.append(A.emptyRow(6, 'cam.empty'));
    sorted.forEach((c) => {
      const mode = el('div', { class: 'mode-cell' },
        el('span', { class: 'tag', text: t('cam.transport.short.' + (c.transport || 'auto')) }),
        el('span', { class: 'tag', text: c.on_demand ? t('cam.onDemand.short') : t('cam.always.short') }),
        c.substream_url ? el('span', { class: 'tag tag-info', text: t('cam.hasSub') }) : null,
        c.has_password ? el('span', { class: 'tag', text: t('cam.hasPassword') }) : null);
      const tr = el('tr', {
        dataset: {
          id: String(c.id), unit: c.unit_code,
          search: A.fold([c.name, c.unit_code, A.unitName(c.unit_code), c.rtsp_url, c.substream_url, c.username].join(' ')),
        },
      },
      el('td', null, el('div', { class: 'cell-main', text: c.name }), el('div', { class: 'small muted', text: '#' + c.id })),
      el('td', null, el('div', { text: A.unitName(c.unit_code) }), el('div', { class: 'small muted', text: c.unit_code })),
      el('td', { class: 'mono small url-cell', text: c.rtsp_url, title: c.rtsp_url }),
      el('td', null, mode),
      el('td', null, badge(c)),
      el('td', { class: 'col-actions' },
        el('button', { type: 'button', class: 'btn btn-small btn-secondary', text: t('adm.edit'), dataset: { action: 'edit' },
          on: { click: () => openForm(c) } }),
        el('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', text: t('adm.delete'), dataset: { action: 'delete' },
          on: { click: () => onDelete(c) } })));
      tbody.append(tr);
    });
    applyFilter();
  }

  function applyFilter() {
    const unit = $('#cam-unit-filter').value;
    const shown = A.filterRows($('#cam-tbody'), $('#cam-filter').value,
      unit ? (tr) => A.inSubtree(tr.dataset.unit, unit) : null);
    $('#cam-count').textContent = t('cam.count', { shown, total: cameras.length });
  }

  // --- form ------------------------------------------------------------

  function openForm(c) {
    editing = c;
    const form = $('#cam-form');
    form.reset();
    A.clearErrors(form);
    resetProbe();
    $('#cam-form-title').textContent = c ? t('cam.editTitle', { name: c.name }) : t('cam.addTitle');
    A.fillUnitSelect($('#cam-unit'), { empty: 'cam.f.unitChoose' });
    $('#cam-name').value = c ? c.name : '';
    $('#cam-unit').value = c ? c.unit_code : (A.units.length === 1 ? A.units[0].code : '');
    $('#cam-url').value = c ? c.rtsp_url : '';
    $('#cam-sub').value = c ? c.substream_url : '';
    $('#cam-user').value = c ? c.username : '';
    $('#cam-pass').value = '';
    $('#cam-pass').disabled = false;
    $('#cam-pass-clear').checked = false;
    $('#cam-pass-clear-wrap').hidden = !(c && c.has_password);
    $('#cam-pass-hint').textContent = c
      ? (c.has_password ? t('cam.f.passKeep') : t('cam.f.passNone'))
      : t('cam.f.passNew');
    $('#cam-pass').placeholder = c && c.has_password ? t('cam.f.passKeepPh') : '';
    $('#cam-transport').value = c ? c.transport || 'auto' : 'auto';
    $('#cam-ondemand').checked = c ? c.on_demand : true;
    $('#cam-enabled').checked = c ? c.enabled : true;
    $('#cam-fp').value = c ? c.tls_fingerprint : '';
    $('#cam-advanced').open = !!(c && c.tls_fingerprint);
    A.openDialog($('#cam-dialog'));
    $('#cam-name').focus();
  }

  function values() {
    return {
      name: $('#cam-name').value.trim(),
      unit_code: $('#cam-unit').value,
      rtsp_url: $('#cam-url').value.trim(),
      substream_url: $('#cam-sub').value.trim(),
      username: $('#cam-user').value,
      password: $('#cam-pass').value,
      transport: $('#cam-transport').value,
      on_demand: $('#cam-ondemand').checked,
      enabled: $('#cam-enabled').checked,
      tls_fingerprint: $('#cam-fp').value.trim(),
    };
  }

  // validate checks v in the browser; the server checks again. only: a
  // list of the fields to check (for the probe), or all.
  function validate(form, v, only) {
    const want = (f) => !only || only.includes(f);
    let ok = true;
    const bad = (f, key) => { ok = false; A.fieldError(form, f, t(key)); };
    if (want('name') && !v.name) bad('name', 'err.required');
    if (want('unit_code') && !v.unit_code) bad('unit_code', 'err.unitRequired');
    const u = A.checkRTSP(v.rtsp_url, true);
    if (want('rtsp_url') && u) bad('rtsp_url', u);
    const s = A.checkRTSP(v.substream_url, false);
    if (want('substream_url') && s) bad('substream_url', s);
    if (want('tls_fingerprint') && v.tls_fingerprint) {
      const hex = v.tls_fingerprint.replace(/:/g, '');
      if (!/^[0-9a-f]{64}$/i.test(hex)) bad('tls_fingerprint', 'err.fingerprint');
      else if (!/^rtsps:\/\//i.test(v.rtsp_url)) bad('tls_fingerprint', 'err.fingerprint.rtsps');
    }
    if (!ok) A.focusFirstError(form);
    return ok;
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    const form = $('#cam-form');
    A.clearErrors(form);
    const v = values();
    if (!validate(form, v)) return;
    const body = {
      name: v.name, unit_code: v.unit_code, transport: v.transport, on_demand: v.on_demand,
      enabled: v.enabled, tls_fingerprint: v.tls_fingerprint, username: v.username,
    };
    if (!editing || v.rtsp_url !== editing.rtsp_url) body.rtsp_url = v.rtsp_url;
    if (!editing || v.substream_url !== editing.substream_url) body.substream_url = v.substream_url;
    if (v.password) body.password = v.password;
    else if (editing && $('#cam-pass-clear').checked) body.password = '';
    await A.busy($('#cam-save'), async () => {
      try {
        if (editing) {
          await A.api.patch('/api/v1/cameras/' + editing.id, body);
          A.toast(t('cam.saved', { name: v.name }), 'ok');
        } else {
          await A.api.post('/api/v1/cameras', body);
          A.toast(t('cam.created', { name: v.name }), 'ok');
        }
        A.closeDialog($('#cam-dialog'));
        await load();
      } catch (e) {
        A.showErrors(form, e, { conflictField: 'name', notFoundField: editing ? null : 'unit_code' });
      }
    });
  }

  function onDelete(c) {
    A.confirm(t('cam.deleteTitle'), t('cam.deleteText', { name: c.name, unit: A.unitName(c.unit_code) }),
      t('adm.delete'), () => A.api.del('/api/v1/cameras/' + c.id)).then((ok) => {
      if (ok) {
        A.toast(t('cam.deleted', { name: c.name }), 'ok');
        load();
      }
    });
  }

  // --- test connection (POST /api/v1/cameras/probe) ----------------------

  function resetProbe() {
    if (probeAbort) probeAbort.abort();
    probeAbort = null;
    $('#cam-probe-busy').hidden = true;
    $('#cam-probe').disabled = false;
    const box = $('#cam-probe-result');
    box.hidden = true;
    box.replaceChildren();
    box.className = 'probe-result';
  }

  function probeShow(kind, title, lines) {
    const box = $('#cam-probe-result');
    box.className = 'probe-result probe-' + kind;
    box.replaceChildren(el('p', { class: 'probe-title', text: title }));
    if (lines && lines.length) {
      box.append(el('dl', { class: 'probe-facts' }, lines.map(([k, val]) =>
        [el('dt', { text: k }), el('dd', { text: val })])));
    }
    box.hidden = false;
    box.scrollIntoView({ block: 'nearest' });
  }

  async function onProbe() {
    const form = $('#cam-form');
    A.clearErrors(form);
    resetProbe();
    const v = values();
    if (!validate(form, v, ['rtsp_url', 'tls_fingerprint'])) return;
    const body = {
      unit_code: v.unit_code || (editing ? editing.unit_code : ''),
      rtsp_url: v.rtsp_url,
      username: v.username,
      password: v.password,
      transport: v.transport,
      tls_fingerprint: v.tls_fingerprint,
    };
    if (editing) body.camera_id = editing.id;
    if (!body.unit_code) body.unit_code = A.me.user.unit_code;
    $('#cam-probe').disabled = true;
    $('#cam-probe-busy').hidden = false;
    const ctl = new AbortController();
    probeAbort = ctl;
    const timer = setTimeout(() => ctl.abort(), 25000);
    let res;
    try {
      res = await A.api.post('/api/v1/cameras/probe', body, { signal: ctl.signal });
    } catch (e) {
      if (probeAbort !== ctl) return; // dialog closed or restarted
      if (e && e.name === 'AbortError') probeShow('fail', t('probe.timeout'));
      else if (e.status === 404 && e.body && e.body.field) {
        // The unit (or the edited camera) is unknown or out of scope.
        if (!A.fieldError(form, e.body.field, t('err.unitOutOfScope'))) A.formError(form, t('err.unitOutOfScope'));
        A.focusFirstError(form);
        probeShow('fail', t('probe.invalid'));
      } else if (e.status === 404 || e.status === 405 || e.status === 501) probeShow('na', t('probe.notAvailable'));
      else if (e.status === 400) {
        A.showErrors(form, e, {});
        probeShow('fail', t('probe.invalid'), [[t('probe.server'), A.errorText(e)]]);
      } else probeShow('fail', t('probe.failed'), [[t('probe.server'), A.errorText(e)]]);
      return;
    } finally {
      clearTimeout(timer);
      if (probeAbort === ctl) {
        $('#cam-probe').disabled = false;
        $('#cam-probe-busy').hidden = true;
        probeAbort = null;
      }
    }
    renderProbe(res || {});
  }

  function renderProbe(r) {
    const ms = typeof r.elapsed_ms === 'number' ? t('probe.ms', { ms: r.elapsed_ms }) : '';
    if (!r.ok) {
      const hint = window.VMS_REASONS.hint(r.error);
      probeShow('fail', t('probe.fail'), [
        hint ? [t('probe.cause'), t(hint)] : null,
        [t('probe.error'), r.error || t('probe.noDetail')],
        ms ? [t('probe.elapsed'), ms] : null,
      ].concat((r.warnings || []).map((w) => [t('probe.warning'), w])).filter(Boolean));
      return;
    }
    const lines = [];
    const vdo = r.video;
    if (vdo) {
      let txt = vdo.codec || '?';
      if (vdo.profile) txt += ' (' + vdo.profile + ')';
      lines.push([t('probe.video'), txt]);
      lines.push([t('probe.resolution'), vdo.width && vdo.height ? vdo.width + ' × ' + vdo.height : t('probe.unknown')]);
      const c = String(vdo.codec || '').toUpperCase();
      if (c === 'H265' || c === 'HEVC') lines.push([t('probe.note'), t('probe.h265')]);
    } else {
      lines.push([t('probe.video'), t('probe.noVideo')]);
    }
    if (r.transport) lines.push([t('probe.transport'), r.transport]);
    if (r.audio) {
      lines.push([t('probe.audio'), (r.audio.codec || '?') + (r.audio.note ? ' — ' + r.audio.note : '')]);
    } else {
      lines.push([t('probe.audio'), t('probe.noAudio')]);
    }
    if (ms) lines.push([t('probe.elapsed'), ms]);
    if (r.ignored && r.ignored.length) lines.push([t('probe.ignored'), r.ignored.join('; ')]);
    (r.warnings || []).forEach((w) => lines.push([t('probe.warning'), w]));
    probeShow(vdo ? 'ok' : 'warn', vdo ? t('probe.ok') : t('probe.okNoVideo'), lines);
  }
})();
