// status.js: VMS.CameraPage, the status page of one camera (#/camera/12):
// live picture, state, codec, profile, resolution, fps, bitrate, viewers,
// reconnects, dropped frames, warnings, ignored tracks, last error and
// the state history (GET /api/v1/cameras/{id}/history, newest first).
'use strict';

(function () {
  const VMS = (window.VMS = window.VMS || {});
  const I18N = window.VMS_I18N;
  const t = I18N.t;
  const api = VMS.api;
  const store = VMS.store;

  const REFRESH_MS = 3000;
  const HISTORY_MS = 15000;

  function fmtNumber(v, digits) {
    return new Intl.NumberFormat(I18N.locale(), { maximumFractionDigits: digits }).format(v);
  }

  function fmtTime(iso) {
    const d = new Date(iso);
    if (!iso || Number.isNaN(d.getTime()) || d.getFullYear() < 2000) return t('none');
    return new Intl.DateTimeFormat(I18N.locale(), {
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).format(d);
  }

  function fmtBitrate(kbps) {
    if (!(kbps > 0)) return t('none');
    if (kbps >= 1000) return t('unit.mbps', { v: fmtNumber(kbps / 1000, 2) });
    return t('unit.kbps', { v: fmtNumber(kbps, 0) });
  }

  class CameraPage {
    // el: {root, name, badge, unit, grid, details, history, noHistory, notFound, body, watch}
    constructor(el, opts) {
      this.el = el;
      this.opts = opts || {};
      this.id = null;
      this.cam = null;
      this.history = null; // null: not loaded; [] none
      this.timer = 0;
      this.historyTimer = 0;
      this.notFound = false;
      this.grid = new VMS.Grid(el.grid, { wall: true, allowEdit: false });
      this.grid.setLayout(1);
      el.watch.addEventListener('click', () => {
        if (this.id !== null && this.opts.onWatch) this.opts.onWatch(this.id);
      });
      store.onChange((type, id) => {
        if (type === 'status' && id === this.id && this.cam) {
          this.cam.status = Object.assign({}, this.cam.status, store.get(id).status);
          this.render();
        }
      });
    }

    show(id) {
      if (this.id !== id) {
        this.id = id;
        this.cam = store.get(id) || null;
        this.history = null;
        this.notFound = false;
      }
      this.el.root.hidden = false;
      this.grid.setCells([id], 1);
      this.render();
      this.refresh();
      this.loadHistory();
    }

    hide() {
      this.el.root.hidden = true;
      this.id = null;
      this.grid.clearAll();
      window.clearTimeout(this.timer);
      window.clearTimeout(this.historyTimer);
    }

    async refresh() {
      window.clearTimeout(this.timer);
      const id = this.id;
      if (id === null) return;
      try {
        const cam = await api.json('GET', '/api/v1/cameras/' + encodeURIComponent(id));
        if (id !== this.id) return;
        this.cam = cam;
        this.notFound = false;
      } catch (e) {
        if (id !== this.id) return;
        if (e instanceof VMS.ApiError && (e.status === 404 || e.status === 403)) {
          this.notFound = true;
          this.cam = null;
          this.grid.clearAll();
        }
      }
      this.render();
      if (this.id === id && !this.notFound) this.timer = window.setTimeout(() => this.refresh(), REFRESH_MS);
    }

    async loadHistory() {
      window.clearTimeout(this.historyTimer);
      const id = this.id;
      if (id === null) return;
      try {
        const data = await api.json('GET', '/api/v1/cameras/' + encodeURIComponent(id) + '/history');
        if (id !== this.id) return;
        this.history = Array.isArray(data.history) ? data.history : [];
      } catch (e) {
        if (id !== this.id) return;
        // 404: no history API (or no camera); shown as "no history".
        this.history = [];
      }
      this.renderHistory();
      if (this.id === id) this.historyTimer = window.setTimeout(() => this.loadHistory(), HISTORY_MS);
    }

    render() {
      const el = this.el;
      el.notFound.hidden = !this.notFound;
      el.body.hidden = this.notFound;
      el.watch.hidden = this.notFound;
      if (this.notFound) {
        el.name.textContent = t('cam.title');
        el.badge.hidden = true;
        el.unit.textContent = '';
        return;
      }
      const cam = this.cam;
      if (!cam) {
        el.name.textContent = t('cam.loading');
        return;
      }
      const st = cam.status || {};
      const state = store.stateOf(cam);
      el.name.textContent = cam.name;
      el.badge.hidden = false;
      el.badge.className = 'badge badge--' + state;
      el.badge.textContent = t('status.' + state);
      el.unit.textContent = store.path(cam.unit_code).map((u) => u.name).join(' › ');
      const none = t('none');
      const list = (a) => (Array.isArray(a) && a.length ? a.join('\n') : none);
      const rows = [
        ['cam.state', t('status.' + state)],
        ['cam.since', fmtTime(st.since)],
        ['cam.reason', st.reason || none, st.reason ? 'warn' : ''],
        ['cam.codec', st.video_codec || none],
        ['cam.profile', st.profile || none],
        ['cam.resolution', st.width && st.height ? t('unit.resolution', { w: st.width, h: st.height }) : none],
        ['cam.fps', st.fps > 0 ? t('unit.fps', { v: fmtNumber(st.fps, 1) }) : none],
        ['cam.bitrate', fmtBitrate(st.bitrate_kbps)],
        ['cam.viewers', typeof st.viewers === 'number' ? fmtNumber(st.viewers, 0) : none],
        ['cam.reconnects', typeof st.reconnects === 'number' ? fmtNumber(st.reconnects, 0) : none],
        ['cam.dropped', typeof st.dropped_frames === 'number' ? fmtNumber(st.dropped_frames, 0) : none],
        ['cam.frames', typeof st.frames === 'number' ? fmtNumber(st.frames, 0) : none],
        ['cam.lastFrame', fmtTime(st.last_frame_at)],
        ['cam.transport', st.transport || none],
        ['cam.audio', [st.audio_codec, st.audio_note].filter(Boolean).join(' — ') || none],
        ['cam.substream', cam.has_substream ? t('cam.yes') : t('cam.no')],
        ['cam.warnings', list(st.warnings), Array.isArray(st.warnings) && st.warnings.length ? 'warn' : ''],
        ['cam.ignored', list(st.ignored)],
      ];
      const dl = el.details;
      if (dl.children.length !== rows.length) {
        dl.textContent = '';
        rows.forEach(() => {
          const row = document.createElement('div');
          row.className = 'kv__row';
          row.append(document.createElement('dt'), document.createElement('dd'));
          dl.append(row);
        });
      }
      rows.forEach((r, i) => {
        const row = dl.children[i];
        row.dataset.key = r[0];
        row.classList.toggle('kv__row--warn', r[2] === 'warn');
        row.children[0].textContent = t(r[0]);
        row.children[1].textContent = r[1];
      });
    }

    renderHistory() {
      const body = this.el.history;
      body.textContent = '';
      const h = this.history || [];
      this.el.noHistory.hidden = h.length > 0 || this.history === null;
      h.slice(0, 200).forEach((e) => {
        const tr = document.createElement('tr');
        const at = document.createElement('td');
        at.textContent = fmtTime(e.at);
        const state = document.createElement('td');
        const b = document.createElement('span');
        const s = ['idle', 'connecting', 'online', 'offline', 'error'].includes(e.state) ? e.state : 'unknown';
        b.className = 'badge badge--' + s;
        b.textContent = t('status.' + s);
        state.append(b);
        const reason = document.createElement('td');
        reason.textContent = e.reason || '';
        tr.append(at, state, reason);
        body.append(tr);
      });
    }

    renderAll() {
      this.render();
      this.renderHistory();
      this.grid.renderAll();
    }
  }

  VMS.CameraPage = CameraPage;
})();
