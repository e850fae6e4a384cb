// admin.js: shared helpers of the admin pages (admin.html): DOM building,
// form errors next to fields, table filtering, dialogs, units and labels.
// The sections live in admin-units.js, admin-cameras.js, admin-users.js and
// admin-audit.js; admin-main.js starts the page. No texts here: every
// string comes from i18n-admin.js through VMS_I18N.t.
'use strict';

(function () {
  const I18N = window.VMS_I18N;
  const t = (key, params) => I18N.t(key, params);

  const A = {
    t,
    api: window.VMS_ADMIN_API,
    me: null,
    units: [],
    unitByCode: new Map(),
    sections: {},
  };

  // el builds an element: el('td', {class: 'x', text: 'y'}, child, …).
  // Attributes: class, text, dataset {…}, on {event: fn}, and any other
  // attribute set with setAttribute (false/null/undefined are skipped).
  A.el = function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach((k) => {
        const v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else if (k === 'dataset') Object.assign(node.dataset, v);
        else if (k === 'on') Object.keys(v).forEach((ev) => node.addEventListener(ev, v[ev]));
        else if (k === 'value') node.value = v;
        else if (k === 'checked' || k === 'selected' || k === 'disabled') node[k] = !!v;
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    children.flat(Infinity).forEach((c) => {
      if (c === null || c === undefined || c === false) return;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    });
    return node;
  };

  A.$ = (sel, root) => (root || document).querySelector(sel);
  A.$$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  // fold removes Vietnamese diacritics and case, so "tan bien" finds
  // "Tân Biên" and "duong" finds "Đường".
  A.fold = (s) => String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

  // --- units ---------------------------------------------------------------

  const unitOrder = new Map();
  A.setUnits = function (list) {
    A.units = list || [];
    A.unitByCode = new Map(A.units.map((u) => [u.code, u]));
    unitOrder.clear();
    A.units.forEach((u, i) => unitOrder.set(u.code, i));
  };

  // unitIndex is the unit's position in tree order (unknown units last).
  A.unitIndex = (code) => (unitOrder.has(code) ? unitOrder.get(code) : 1e9);

  // inSubtree reports whether code is root or below it.
  A.inSubtree = function (code, root) {
    let u = A.unitByCode.get(code);
    for (let i = 0; u && i < 10; i++) {
      if (u.code === root) return true;
      u = A.unitByCode.get(u.parent_code);
    }
    return false;
  };

  A.unitName = (code) => {
    const u = A.unitByCode.get(code);
    return u ? u.name : code || '';
  };

  // depth of a unit below the caller's root (0 for the root).
  A.unitDepth = function (code) {
    let d = 0;
    let u = A.unitByCode.get(code);
    const root = A.me && A.me.user.unit_code;
    while (u && u.code !== root && u.parent_code && A.unitByCode.has(u.parent_code) && d < 10) {
      d += 1;
      u = A.unitByCode.get(u.parent_code);
    }
    return d;
  };

  // fillUnitSelect puts the units in scope (tree order, indented) into a
  // <select>. opts: {empty: i18n key of a first empty option, filter: fn}.
  A.fillUnitSelect = function (select, opts) {
    opts = opts || {};
    const keep = select.value;
    select.replaceChildren();
    if (opts.empty) select.append(A.el('option', { value: '', text: t(opts.empty) }));
    A.units.forEach((u) => {
      if (opts.filter && !opts.filter(u)) return;
      const pad = '\u00a0\u00a0'.repeat(A.unitDepth(u.code));
      select.append(A.el('option', { value: u.code, text: pad + u.name + ' (' + u.code + ')' }));
    });
    if (keep && A.unitByCode.has(keep)) select.value = keep;
  };

  A.roles = ['admin', 'province', 'district', 'police', 'commune'];
  // roleLabel names a role; with a unit, an admin below the province is
  // named as the unit's administrator rather than the IT department.
  A.roleLabel = function (r, unitCode) {
    if (!A.roles.includes(r)) return r;
    if (r === 'admin' && unitCode) {
      const u = A.unitByCode.get(unitCode);
      if (u && u.level !== 'province') return t('role.adminLocal');
    }
    return t('role.' + r);
  };
  A.levelLabel = (l) => (['province', 'district', 'commune'].includes(l) ? t('level.' + l) : l);

  // fmtTime writes a time as dd/mm/yyyy hh:mm[:ss] in local time.
  A.fmtTime = function (iso, noSeconds) {
    if (!iso) return '';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime()) || d.getFullYear() < 2000) return '';
    const p = (n) => String(n).padStart(2, '0');
    const date = p(d.getDate()) + '/' + p(d.getMonth() + 1) + '/' + d.getFullYear();
    const time = p(d.getHours()) + ':' + p(d.getMinutes()) + (noSeconds ? '' : ':' + p(d.getSeconds()));
    return date + ' ' + time;
  };

  A.can = (action) => !!(A.me && A.me.permissions && A.me.permissions.includes(action));

  // --- errors ------------------------------------------------------------

  // Server messages the catalogue translates (exact text or prefix → key).
  const SERVER_MESSAGES = [
    [/^(required|is required)$/, 'err.required'],
    [/^scheme must be rtsp or rtsps/, 'err.url.scheme'],
    [/^host required/, 'err.url.host'],
    [/^port must be/, 'err.url.port'],
    [/^'@' after the host/, 'err.url.at'],
    [/^must not contain '#'/, 'err.url.hash'],
    [/^must not contain spaces/, 'err.url.space'],
    [/^not a valid URL/, 'err.url.invalid'],
    [/^must be auto, tcp or udp/, 'err.transport'],
    [/^must be a SHA-256 digest/, 'err.fingerprint'],
    [/^only applies to an rtsps/, 'err.fingerprint.rtsps'],
    [/^must be 2–64 of a-z/, 'err.username'],
    [/^must be at least (\d+) characters/, 'err.password.short'],
    [/^must not be the username/, 'err.password.username'],
    [/^must not repeat one character/, 'err.password.repeat'],
    [/^must be one of admin, province/, 'err.role'],
    [/^must be valid text of at most 100/, 'err.displayName'],
    [/^at most (\d+) (characters|bytes)/, 'err.tooLong'],
    [/^not allowed for your role/, 'err.forbidden'],
    [/^admins cannot disable, move or reset their own/, 'err.self'],
    [/^password change required/, 'err.mustChange'],
    [/already exists in unit/, 'err.camera.exists'],
    [/^a \w+ account cannot be bound to/, 'err.roleLevel'],
    [/^".*" is taken$/, 'err.usernameTaken'],
    [/^unit ".*" not found/, 'err.unitOutOfScope'],
    [/^"(.*)" must be province, district or commune/, 'err.csv.level'],
    [/^"(.*)" must be 1–32 letters/, 'err.csv.code'],
    [/^"(.*)" already on line (\d+)/, 'err.csv.dup'],
    [/^must not be empty/, 'err.required'],
    [/^a unit cannot be its own parent/, 'err.csv.ownParent'],
    [/^no units in file/, 'err.csv.empty'],
    [/^(missing header|column missing from header)/, 'err.csv.header'],
    [/cannot sit below/, 'err.csv.levelOrder'],
    [/^"(.*)" is taken by a unit outside your scope/, 'err.csv.foreign'],
    [/^your own unit can be renamed, not moved/, 'err.csv.ownUnit'],
  ];

  // message turns one server message into text for the user: translated
  // when known, the server's own words otherwise.
  A.message = function (msg, field) {
    let m = String(msg || '');
    if (field && m.startsWith(field + ': ')) m = m.slice(field.length + 2);
    for (const [re, key] of SERVER_MESSAGES) {
      const hit = m.match(re);
      if (hit) return t(key, { n: hit[1] || '', v: hit[1] || '', m: hit[2] || '' });
    }
    return m;
  };

  // errorText describes an ApiError (or anything thrown) in words.
  A.errorText = function (err) {
    if (!err) return '';
    if (err.network) return t('err.network');
    if (!(err instanceof A.api.ApiError)) return t('err.unexpected', { text: String(err && err.message || err) });
    const st = err.status;
    const msg = err.body && err.body.error;
    if (st === 401) return t('err.unauthorized');
    if (st === 403) return msg && msg !== 'not allowed for your role' ? A.message(msg) : t('err.forbidden');
    if (st === 404) return t('err.notFound');
    if (st === 409) return msg ? t('err.conflict', { text: A.message(msg) }) : t('err.conflictPlain');
    if (st === 429) return t('err.rateLimited');
    if (st >= 500) return t('err.server', { status: st });
    return msg ? A.message(msg, err.body.field) : t('err.status', { status: st });
  };

  A.clearErrors = function (form) {
    A.$$('.field-error', form).forEach((p) => { p.textContent = ''; });
    A.$$('[aria-invalid]', form).forEach((i) => i.removeAttribute('aria-invalid'));
    A.$$('.field.has-error', form).forEach((f) => f.classList.remove('has-error'));
    A.$$('.form-error', form).forEach((p) => { p.textContent = ''; p.hidden = true; });
  };

  // fieldError shows msg next to the field named name in form; false when
  // the form has no such field.
  A.fieldError = function (form, name, msg) {
    const box = name && form.querySelector('.field[data-field="' + CSS.escape(name) + '"]');
    if (!box) return false;
    box.classList.add('has-error');
    const p = box.querySelector('.field-error');
    p.textContent = p.textContent ? p.textContent + ' ' + msg : msg;
    const input = box.querySelector('input, select, textarea');
    if (input) input.setAttribute('aria-invalid', 'true');
    return true;
  };

  A.formError = function (form, msg) {
    const p = form.querySelector('.form-error');
    if (!p) return;
    p.textContent = p.textContent ? p.textContent + ' ' + msg : msg;
    p.hidden = false;
  };

  // showErrors puts an API error next to its fields (body.fields, or
  // body.field), or at the top of the form. aliases maps API field names
  // to form field names; conflictField names the field a 409 concerns.
  // It focuses the first field in error.
  A.showErrors = function (form, err, opts) {
    opts = opts || {};
    const aliases = opts.aliases || {};
    const body = (err && err.body) || {};
    let placed = false;
    const list = Array.isArray(body.fields) && body.fields.length ? body.fields
      : body.field ? [{ field: body.field, message: body.error }] : [];
    list.forEach((f) => {
      const name = aliases[f.field] || f.field;
      const text = A.message(f.message, f.field);
      if (A.fieldError(form, name, text)) placed = true;
      else A.formError(form, f.field ? f.field + ': ' + text : text);
    });
    if (!placed && err && err.status === 409 && opts.conflictField) {
      placed = A.fieldError(form, opts.conflictField, A.errorText(err));
    } else if (!placed && err && err.status === 404 && opts.notFoundField) {
      placed = A.fieldError(form, opts.notFoundField, t('err.unitOutOfScope'));
    } else if (!list.length) {
      A.formError(form, A.errorText(err));
    }
    A.focusFirstError(form);
  };

  A.focusFirstError = function (form) {
    const bad = form.querySelector('[aria-invalid="true"]');
    if (bad) {
      const det = bad.closest('details');
      if (det) det.open = true;
      bad.focus();
    }
  };

  // --- RTSP URL shape (the server checks again, see camera/validate.go) ---

  // checkRTSP returns an i18n key for what is wrong with url, or ''.
  A.checkRTSP = function (url, required) {
    const s = String(url || '').trim();
    if (!s) return required ? 'err.required' : '';
    if (/\s/.test(s)) return 'err.url.space';
    const m = s.match(/^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i);
    if (!m) return 'err.url.shape';
    if (!/^rtsps?$/i.test(m[1])) return 'err.url.scheme';
    if (s.slice(m[1].length + 3).includes('@')) return 'err.url.at';
    if (s.includes('#')) return 'err.url.hash';
    const hostport = m[2];
    const hp = hostport.match(/^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d*))?$/i);
    if (!hp || !hp[1]) return 'err.url.host';
    if (hp[2] !== undefined) {
      const n = Number(hp[2]);
      if (!hp[2] || !Number.isInteger(n) || n < 1 || n > 65535) return 'err.url.port';
    }
    return '';
  };

  // --- table filtering -----------------------------------------------------

  // Rows carry their searchable text in dataset.search (folded).
  A.filterRows = function (tbody, query, extra) {
    const q = A.fold(query).trim().split(/\s+/).filter(Boolean);
    let shown = 0;
    A.$$('tr[data-search]', tbody).forEach((tr) => {
      const hay = tr.dataset.search;
      const ok = q.every((w) => hay.includes(w)) && (!extra || extra(tr));
      tr.hidden = !ok;
      if (ok) shown += 1;
    });
    return shown;
  };

  A.emptyRow = (cols, key) => A.el('tr', { class: 'empty-row' }, A.el('td', { colspan: cols, text: t(key) }));

  // --- dialogs -------------------------------------------------------------

  A.openDialog = function (dlg) {
    if (!dlg.open) dlg.showModal();
    const first = dlg.querySelector('[autofocus], input:not([type=hidden]):not([disabled]), select, button.btn-primary');
    if (first) first.focus();
  };

  A.closeDialog = function (dlg) {
    if (dlg.open) dlg.close();
  };

  document.addEventListener('click', (ev) => {
    const b = ev.target.closest('[data-close]');
    if (b) {
      const dlg = b.closest('dialog');
      if (dlg) A.closeDialog(dlg);
    }
  });

  // confirm asks a yes/no question in a dialog. action(): optional async
  // work run on "yes" whose error is shown in the dialog. Resolves true
  // when confirmed (and action succeeded).
  A.confirm = function (title, text, yesLabel, action) {
    const dlg = A.$('#confirm-dialog');
    A.$('#confirm-title').textContent = title;
    A.$('#confirm-text').textContent = text;
    const errP = A.$('#confirm-error');
    errP.hidden = true;
    const yes = A.$('#confirm-yes');
    const no = A.$('#confirm-no');
    yes.textContent = yesLabel;
    yes.disabled = false;
    return new Promise((resolve) => {
      const done = (v) => {
        yes.removeEventListener('click', onYes);
        no.removeEventListener('click', onNo);
        dlg.removeEventListener('close', onClose);
        A.closeDialog(dlg);
        resolve(v);
      };
      const onYes = async () => {
        if (!action) return done(true);
        yes.disabled = true;
        try {
          await action();
          done(true);
        } catch (e) {
          errP.textContent = A.errorText(e);
          errP.hidden = false;
          yes.disabled = false;
        }
      };
      const onNo = () => done(false);
      const onClose = () => done(false);
      yes.addEventListener('click', onYes);
      no.addEventListener('click', onNo);
      dlg.addEventListener('close', onClose);
      dlg.showModal();
      no.focus();
    });
  };

  // showSecret shows a password once, with a copy button.
  A.showSecret = function (title, text, secret) {
    const dlg = A.$('#secret-dialog');
    A.$('#secret-title').textContent = title;
    A.$('#secret-text').textContent = text;
    A.$('#secret-value').textContent = secret;
    A.$('#secret-copied').textContent = '';
    dlg.addEventListener('close', () => { A.$('#secret-value').textContent = ''; }, { once: true });
    dlg.showModal();
    A.$('#secret-copy').focus();
  };

  A.copyText = async function (text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (_) {
      // Clipboard API refused (insecure context): select and copy.
      const ta = A.el('textarea', { class: 'offscreen', readonly: true });
      ta.value = text;
      document.body.append(ta);
      ta.select();
      let ok = false;
      try { ok = document.execCommand('copy'); } catch (_) { ok = false; }
      ta.remove();
      return ok;
    }
  };

  let toastTimer = 0;
  A.toast = function (msg, kind) {
    const box = A.$('#adm-toast');
    box.textContent = msg;
    box.className = 'adm-toast' + (kind ? ' toast-' + kind : '');
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, 4000);
  };

  A.setMsg = function (p, text, kind) {
    p.textContent = text || '';
    p.className = 'adm-msg' + (kind ? ' msg-' + kind : '');
    p.hidden = !text;
  };

  // busy disables a button while an async function runs.
  A.busy = async function (button, fn) {
    button.disabled = true;
    button.classList.add('is-busy');
    try {
      return await fn();
    } finally {
      button.disabled = false;
      button.classList.remove('is-busy');
    }
  };

  // downloadCSV builds a CSV file in the browser (UTF-8 with a BOM, so
  // that Excel shows the diacritics) and offers it for download.
  A.downloadCSV = function (filename, rows) {
    const esc = (v) => {
      let s = String(v === undefined || v === null ? '' : v);
      if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
      return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    };
    const text = '\ufeff' + rows.map((r) => r.map(esc).join(',')).join('\r\n') + '\r\n';
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    const a = A.el('a', { href: url, download: filename, class: 'offscreen' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  };

  window.VMSAdmin = A;
})();
