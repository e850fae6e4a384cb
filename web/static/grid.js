// grid.js: VMS.Grid, a live grid of 1, 4, 9 or 16 tiles, each with its
// own VMS.Player. Used by the viewer (index.html) and the video wall
// (wall.html). Tiles and their <video> elements are created once and
// reused for every camera and layout, so a wall can run for days.
//
// A tile never stays a silent black rectangle: its data-state is
// empty | connecting | live | offline | error, and anything but live
// shows words (data-reason names the cause for tests and styles).
// Grids of 4 or more ask for the sub-stream; 1 tile and full screen for
// the main stream.
'use strict';

(function () {
  const VMS = (window.VMS = window.VMS || {});
  const I18N = window.VMS_I18N;
  const t = I18N.t;
  const store = VMS.store;

  const LAYOUTS = [1, 4, 9, 16];
  const MAX = 16;
  const CAMERA_MIME = 'application/x-vms-camera';
  const TILE_MIME = 'application/x-vms-tile';
  // Player reasons a camera coming back online can fix.
  const CAMERA_REASONS = new Set(['offline', 'camera_error', 'server', 'busy', '']);

  function h(tag, cls, attrs) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (attrs) Object.keys(attrs).forEach((k) => e.setAttribute(k, attrs[k]));
    return e;
  }

  function hasBFrames(cam) {
    const w = cam && cam.status && cam.status.warnings;
    return Array.isArray(w) && w.some((x) => /b-?frames?/i.test(String(x)));
  }

  // unitLabel: the camera's unit, with its district for a commune.
  function unitLabel(cam) {
    const p = store.path(cam.unit_code);
    if (!p.length) return cam.unit_code || '';
    const own = p[p.length - 1];
    if (own.level === 'commune' && p.length >= 2 && p[p.length - 2].level === 'district') {
      return own.name + ' · ' + p[p.length - 2].name;
    }
    return own.name;
  }

  class Grid {
    // opts: {wall: bool, onInfo(camId), onChange(grid), allowEdit: bool}
    constructor(root, opts) {
      this.root = root;
      this.opts = Object.assign({ wall: false, allowEdit: true }, opts || {});
      this.layout = 4;
      this.cells = new Array(MAX).fill(null);
      this.selected = 0;
      this.fsIndex = -1;
      this.tiles = [];
      this.players = [];
      this.camState = new Array(MAX).fill(''); // last camera state seen per tile
      root.classList.add('grid');
      for (let i = 0; i < MAX; i++) this.tiles.push(this.createTile(i));
      this.setLayout(4);
      this.tick = window.setInterval(() => this.renderCountdowns(), 1000);
      this.unsub = store.onChange((type, id) => this.onStore(type, id));
      this.onFullscreen = () => this.fullscreenChanged();
      document.addEventListener('fullscreenchange', this.onFullscreen);
    }

    createTile(i) {
      const tile = h('div', 'tile', { 'data-index': String(i), 'data-state': 'empty', tabindex: '0' });
      const video = h('video', 'tile__video');
      video.muted = true;
      video.autoplay = true;
      video.playsInline = true;
      video.disablePictureInPicture = true;
      const head = h('div', 'tile__head');
      const dot = h('span', 'tile__dot', { 'aria-hidden': 'true' });
      const labels = h('div', 'tile__labels');
      const name = h('span', 'tile__name');
      const unit = h('span', 'tile__unit');
      labels.append(name, unit);
      const badge = h('span', 'tile__badge');
      head.append(dot, labels, badge);
      const tools = h('div', 'tile__tools');
      const mk = (cls, key, glyph, fn) => {
        const b = h('button', 'tile__tool ' + cls, { type: 'button' });
        b.dataset.i18nTitle = key;
        b.title = t(key);
        b.setAttribute('aria-label', t(key));
        b.textContent = glyph;
        b.addEventListener('click', (ev) => {
          ev.stopPropagation();
          fn();
        });
        tools.append(b);
        return b;
      };
      if (!this.opts.wall) {
        mk('tile__tool--info', 'tile.info', 'i', () => {
          if (this.cells[i] !== null && this.opts.onInfo) this.opts.onInfo(this.cells[i]);
        });
        mk('tile__tool--fs', 'tile.fullscreen', '⤢', () => this.toggleFullscreen(i));
        mk('tile__tool--close', 'tile.close', '✕', () => this.assign(i, null));
        head.append(tools);
      }
      const overlay = h('div', 'tile__overlay', { 'aria-live': 'polite' });
      const spinner = h('div', 'tile__spinner', { 'aria-hidden': 'true' });
      const icon = h('div', 'tile__icon', { 'aria-hidden': 'true' });
      const title = h('p', 'tile__title');
      const msg = h('p', 'tile__msg');
      const detail = h('p', 'tile__detail');
      const retry = h('p', 'tile__retry');
      overlay.append(spinner, icon, title, msg, detail, retry);
      const note = h('p', 'tile__note');
      const empty = h('div', 'tile__empty');
      const emptyText = h('p', 'tile__empty-text');
      empty.append(emptyText);
      tile.append(video, head, overlay, note, empty);
      this.root.append(tile);

      const player = new VMS.Player(video, () => this.renderTile(i));
      this.players.push(player);
      const refs = { tile, video, head, name, unit, badge, overlay, title, msg, detail, retry, note, empty, emptyText };

      tile.addEventListener('click', () => this.select(i));
      tile.addEventListener('keydown', (ev) => {
        if (ev.target !== tile) return;
        if (ev.key === 'Enter' && this.cells[i] !== null) {
          ev.preventDefault();
          this.toggleFullscreen(i);
        } else if ((ev.key === 'Delete' || ev.key === 'Backspace') && this.opts.allowEdit && !this.opts.wall) {
          ev.preventDefault();
          this.assign(i, null);
        }
      });
      tile.addEventListener('focus', () => this.select(i));
      tile.addEventListener('dblclick', (ev) => {
        ev.preventDefault();
        if (this.cells[i] !== null) this.toggleFullscreen(i);
      });
      if (this.opts.allowEdit) {
        tile.addEventListener('dragover', (ev) => {
          const types = Array.from(ev.dataTransfer.types || []);
          if (types.includes(CAMERA_MIME) || types.includes(TILE_MIME)) {
            ev.preventDefault();
            ev.dataTransfer.dropEffect = types.includes(TILE_MIME) ? 'move' : 'copy';
            tile.classList.add('tile--drop');
          }
        });
        tile.addEventListener('dragleave', () => tile.classList.remove('tile--drop'));
        tile.addEventListener('drop', (ev) => {
          tile.classList.remove('tile--drop');
          const cam = ev.dataTransfer.getData(CAMERA_MIME);
          const from = ev.dataTransfer.getData(TILE_MIME);
          ev.preventDefault();
          if (cam && /^\d+$/.test(cam)) {
            this.assign(i, Number(cam));
            this.select(i);
          } else if (from !== '' && /^\d+$/.test(from)) {
            this.swap(Number(from), i);
          }
        });
        head.draggable = true;
        head.addEventListener('dragstart', (ev) => {
          if (this.cells[i] === null) {
            ev.preventDefault();
            return;
          }
          ev.dataTransfer.setData(TILE_MIME, String(i));
          ev.dataTransfer.effectAllowed = 'move';
        });
      }
      return refs;
    }

    // ---------------------------------------------------------- editing

    setLayout(n) {
      const layout = LAYOUTS.includes(Number(n)) ? Number(n) : 4;
      this.layout = layout;
      LAYOUTS.forEach((l) => this.root.classList.toggle('grid--' + l, l === layout));
      this.root.dataset.layout = String(layout);
      for (let i = 0; i < MAX; i++) {
        const on = i < layout;
        this.tiles[i].tile.hidden = !on;
        if (!on && this.cells[i] !== null) {
          this.cells[i] = null;
          this.players[i].stop();
        }
      }
      if (this.selected >= layout) this.selected = 0;
      this.syncAll();
      this.changed();
    }

    // setCells replaces the whole grid (a saved view, a wall page).
    setCells(cells, layout) {
      if (layout) {
        const l = LAYOUTS.includes(Number(layout)) ? Number(layout) : this.layout;
        this.layout = l;
        LAYOUTS.forEach((x) => this.root.classList.toggle('grid--' + x, x === l));
        this.root.dataset.layout = String(l);
      }
      for (let i = 0; i < MAX; i++) {
        const v = i < this.layout && Array.isArray(cells) && typeof cells[i] === 'number' ? cells[i] : null;
        this.cells[i] = v;
        this.tiles[i].tile.hidden = i >= this.layout;
      }
      this.syncAll();
      this.changed();
    }

    getCells() {
      return this.cells.slice(0, this.layout);
    }

    assign(i, camId) {
      if (i < 0 || i >= this.layout) return;
      this.cells[i] = camId;
      this.sync(i);
      this.changed();
    }

    swap(a, b) {
      if (a === b || a >= this.layout || b >= this.layout) return;
      const x = this.cells[a];
      this.cells[a] = this.cells[b];
      this.cells[b] = x;
      // Swap the players too, so that neither reconnects.
      const pa = this.players[a];
      const pb = this.players[b];
      const va = this.tiles[a].video;
      const vb = this.tiles[b].video;
      // Move the <video> elements with their players.
      const na = va.nextSibling;
      this.tiles[b].tile.insertBefore(va, vb);
      this.tiles[a].tile.insertBefore(vb, na);
      this.tiles[a].video = vb;
      this.tiles[b].video = va;
      this.players[a] = pb;
      this.players[b] = pa;
      pa.onChange = () => this.renderTile(b);
      pb.onChange = () => this.renderTile(a);
      // Moving a <video> in the document pauses it.
      [va, vb].forEach((v) => {
        if (v.srcObject) v.play().catch(() => {});
      });
      this.select(b);
      this.sync(a);
      this.sync(b);
      this.changed();
    }

    // fill puts camId in the selected tile when it is empty, else in the
    // first free tile, else in the selected one; then selects the next
    // free tile so repeated clicks fill the grid in order.
    fill(camId) {
      let i = -1;
      const n = this.layout;
      if (this.cells[this.selected] === null) i = this.selected;
      for (let k = 0; i < 0 && k < n; k++) if (this.cells[k] === null) i = k;
      if (i < 0) i = this.selected;
      this.assign(i, camId);
      let next = -1;
      for (let k = 1; k <= n && next < 0; k++) {
        const j = (i + k) % n;
        if (this.cells[j] === null) next = j;
      }
      this.select(next >= 0 ? next : i);
      return i;
    }

    clearAll() {
      for (let i = 0; i < MAX; i++) this.cells[i] = null;
      this.selected = 0;
      this.syncAll();
      this.changed();
    }

    select(i) {
      if (i < 0 || i >= this.layout) return;
      this.selected = i;
      this.tiles.forEach((x, k) => x.tile.classList.toggle('tile--selected', k === i && !this.opts.wall));
    }

    changed() {
      if (this.opts.onChange) this.opts.onChange(this);
    }

    // ---------------------------------------------------------- playing

    streamFor(i) {
      if (this.fsIndex === i) return 'main';
      return this.layout >= 4 ? 'sub' : 'main';
    }

    // sync makes tile i's player play what the cell says.
    sync(i) {
      const id = this.cells[i];
      const p = this.players[i];
      const cam = id === null ? null : store.get(id);
      if (id === null || i >= this.layout) {
        if (p.active) p.stop();
      } else if (store.loaded() && !cam) {
        // Not (or no longer) in scope: nothing to ask the server.
        if (p.active) p.stop();
      } else if (cam && cam.enabled === false) {
        if (p.active) p.stop();
      } else {
        p.play(id, this.streamFor(i));
      }
      this.renderTile(i);
    }

    syncAll() {
      for (let i = 0; i < MAX; i++) this.sync(i);
      this.select(this.selected);
    }

    stopAll() {
      this.players.forEach((p) => p.stop());
    }

    onStore(type, id) {
      if (type === 'cameras') {
        // The list changed: drop cameras that left the scope, start the
        // ones that arrived or were re-enabled.
        for (let i = 0; i < this.layout; i++) {
          if (this.cells[i] !== null) this.sync(i);
        }
        return;
      }
      if (type === 'status' || type === 'units') {
        for (let i = 0; i < this.layout; i++) {
          if (type === 'units' || this.cells[i] === id) {
            const p = this.players[i];
            const cam = store.get(this.cells[i]);
            const now = cam && cam.status ? cam.status.state : '';
            const before = this.camState[i];
            this.camState[i] = now;
            // The camera came back online: do not wait for the backoff
            // (only when the camera was the problem, not the network).
            if (now === 'online' && before !== 'online' && p.state === 'retry' && CAMERA_REASONS.has(p.reason)) p.retryNow();
            this.renderTile(i);
          }
        }
      }
    }

    // ---------------------------------------------------------- full screen

    toggleFullscreen(i) {
      if (document.fullscreenElement) {
        document.exitFullscreen().catch(() => {});
        return;
      }
      const el = this.tiles[i].tile;
      if (el.requestFullscreen) {
        el.requestFullscreen().catch(() => {
          // Refused (no user gesture): show it large inside the page.
          this.setPseudoFullscreen(i);
        });
      } else {
        this.setPseudoFullscreen(i);
      }
    }

    setPseudoFullscreen(i) {
      this.tiles.forEach((x, k) => x.tile.classList.toggle('tile--maximized', k === i));
      this.fsIndex = i;
      this.sync(i);
      if (!this.onEsc) {
        this.onEsc = (ev) => {
          if (ev.key === 'Escape') this.exitPseudoFullscreen();
        };
        document.addEventListener('keydown', this.onEsc);
      }
    }

    exitPseudoFullscreen() {
      const i = this.fsIndex;
      this.tiles.forEach((x) => x.tile.classList.remove('tile--maximized'));
      this.fsIndex = -1;
      if (this.onEsc) document.removeEventListener('keydown', this.onEsc);
      this.onEsc = null;
      if (i >= 0) this.sync(i);
    }

    fullscreenChanged() {
      const fe = document.fullscreenElement;
      const was = this.fsIndex;
      this.fsIndex = -1;
      this.tiles.forEach((x, k) => {
        if (x.tile === fe) this.fsIndex = k;
      });
      if (was >= 0 && was !== this.fsIndex) this.sync(was);
      if (this.fsIndex >= 0) this.sync(this.fsIndex);
    }

    // ---------------------------------------------------------- rendering

    // view decides what tile i shows: {state, reason, titleKey, msgKey, params}.
    view(i) {
      const id = this.cells[i];
      if (id === null) return { state: 'empty' };
      const cam = store.get(id);
      const p = this.players[i];
      if (!cam && store.loaded()) return { state: 'error', reason: 'forbidden', titleKey: 'tile.error', msgKey: 'why.forbidden' };
      if (cam && cam.enabled === false) return { state: 'offline', reason: 'disabled', titleKey: 'tile.offline', msgKey: 'why.disabled' };
      const st = (cam && cam.status) || {};
      const camDown = st.state === 'offline' || st.state === 'error';
      if (p.state === 'live') {
        return { state: 'live', reason: hasBFrames(cam) ? 'bframes' : '' };
      }
      if (p.reason === 'codec') {
        // H.264 refused too: a browser without an H.264 decoder for WebRTC
        // (Firefox before its OpenH264 plugin is installed).
        const h264 = st.video_codec === 'H264' || /H\.?264/.test(p.detail || '');
        return { state: 'error', reason: 'codec', titleKey: 'tile.error', msgKey: h264 ? 'why.codecH264' : 'why.codec' };
      }
      if (p.reason === 'forbidden') return { state: 'error', reason: 'forbidden', titleKey: 'tile.error', msgKey: 'why.forbidden' };
      if (camDown || p.reason === 'offline' || p.reason === 'camera_error') {
        const err = st.state === 'error' || (!camDown && p.reason === 'camera_error');
        return {
          state: 'offline',
          reason: err ? 'camera_error' : 'offline',
          titleKey: 'tile.offline',
          msgKey: err ? 'why.camera_error' : 'why.offline',
          detail: st.reason || p.detail,
        };
      }
      if (hasBFrames(cam) && (p.state === 'waiting' || p.reason === 'nodata')) {
        // Only keyframes decode: explain why the picture hardly moves.
        return { state: 'error', reason: 'bframes', titleKey: 'tile.error', msgKey: 'why.bframes' };
      }
      if (p.state === 'waiting') return { state: 'connecting', reason: 'waiting', titleKey: 'tile.waiting' };
      if (p.reason && (p.state === 'retry' || p.state === 'failed' || p.state === 'connecting')) {
        const known = ['network', 'nodata', 'server', 'busy', 'webrtc_unsupported', 'browser'];
        const r = known.includes(p.reason) ? p.reason : 'unknown';
        return {
          state: 'error',
          reason: r,
          titleKey: 'tile.error',
          msgKey: 'why.' + r,
          params: { s: VMS.Player.NO_FRAMES_S, status: p.httpStatus || '?' },
          detail: p.detail,
        };
      }
      return { state: 'connecting', reason: '', titleKey: 'tile.connecting' };
    }

    renderTile(i) {
      const r = this.tiles[i];
      const id = this.cells[i];
      const cam = id === null ? null : store.get(id);
      const v = this.view(i);
      const p = this.players[i];
      r.tile.dataset.state = v.state;
      if (v.reason) r.tile.dataset.reason = v.reason;
      else delete r.tile.dataset.reason;
      // Only cameras in scope are named, even by id.
      if (!cam) delete r.tile.dataset.cameraId;
      else r.tile.dataset.cameraId = String(id);
      r.tile.dataset.stream = p.active ? p.stream : '';
      r.empty.hidden = v.state !== 'empty';
      r.emptyText.textContent = this.opts.wall ? '' : t('grid.empty');
      r.head.hidden = v.state === 'empty';
      r.name.textContent = cam ? cam.name : (id === null ? '' : '#' + id);
      r.unit.textContent = cam ? unitLabel(cam) : '';
      const badgeKey = { live: 'tile.live', connecting: 'tile.connecting', offline: 'tile.offline', error: 'tile.error' }[v.state];
      r.badge.textContent = badgeKey ? t(badgeKey).replace(/…$/, '') : '';
      const showOverlay = v.state !== 'live' && v.state !== 'empty';
      r.overlay.hidden = !showOverlay;
      if (showOverlay) {
        r.title.textContent = t(v.titleKey);
        r.msg.textContent = v.msgKey ? t(v.msgKey, v.params) : '';
        r.msg.hidden = !v.msgKey;
        // A known camera error is explained in the catalogue's words, the
        // server's own text follows in small print.
        const hint = v.state === 'offline' ? window.VMS_REASONS.hint(v.detail) : '';
        if (hint) {
          r.msg.textContent = t(hint);
          r.msg.hidden = false;
        }
        const detail = v.detail ? t('why.serverSays', { text: v.detail }) : '';
        r.detail.textContent = detail;
        r.detail.hidden = !detail || this.opts.wall;
      }
      const note = v.state === 'live' && v.reason === 'bframes' ? t('why.bframes') : '';
      r.note.textContent = note;
      r.note.hidden = !note;
      this.renderCountdown(i);
    }

    renderCountdown(i) {
      const r = this.tiles[i];
      const p = this.players[i];
      let s = '';
      if (!r.overlay.hidden && p.state === 'retry' && p.retryAt) {
        s = t('tile.retryIn', { s: Math.max(1, Math.ceil((p.retryAt - Date.now()) / 1000)) });
      } else if (!r.overlay.hidden && p.state === 'connecting' && p.reconnects > 0) {
        s = t('tile.retrying');
      }
      r.retry.textContent = s;
      r.retry.hidden = !s;
    }

    renderCountdowns() {
      for (let i = 0; i < this.layout; i++) {
        if (this.players[i].state === 'retry' || this.players[i].state === 'connecting') this.renderCountdown(i);
      }
    }

    // renderAll re-translates every tile (language switch).
    renderAll() {
      for (let i = 0; i < MAX; i++) this.renderTile(i);
      this.root.querySelectorAll('[data-i18n-title]').forEach((b) => {
        b.title = t(b.dataset.i18nTitle);
        b.setAttribute('aria-label', t(b.dataset.i18nTitle));
      });
    }

    destroy() {
      this.stopAll();
      window.clearInterval(this.tick);
      this.unsub();
      document.removeEventListener('fullscreenchange', this.onFullscreen);
    }
  }

  Grid.LAYOUTS = LAYOUTS;
  Grid.CAMERA_MIME = CAMERA_MIME;
  Grid.unitLabel = unitLabel;
  VMS.Grid = Grid;
})();
