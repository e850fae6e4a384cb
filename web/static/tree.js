// tree.js: VMS.Navigator, the camera navigator of the viewer: the unit
// tree of the caller's scope (province → districts → communes) with
// camera counts, a diacritics-insensitive search over camera and unit
// names, and the camera list of the selected unit with live status
// badges. Cameras are draggable onto grid tiles.
//
// Test hooks: #unit-tree [data-unit-code], #camera-list [data-camera-id][data-state].
'use strict';

(function () {
  const VMS = (window.VMS = window.VMS || {});
  const I18N = window.VMS_I18N;
  const t = I18N.t;
  const store = VMS.store;

  function h(tag, cls, attrs) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (attrs) Object.keys(attrs).forEach((k) => e.setAttribute(k, attrs[k]));
    return e;
  }

  class Navigator {
    // el: {search, tree, list, listTitle, count, status, mode}
    // opts: {onPick(camId), onInfo(camId), isShown(camId) → bool}
    constructor(el, opts) {
      this.el = el;
      this.opts = opts || {};
      this.query = '';
      this.selectedUnit = '';
      this.expanded = new Set();
      this.nodes = new Map(); // code → {li, row, count, toggle}
      this.items = new Map(); // camera id → {li, name, unit, badge, dot}
      this.searchTimer = 0;
      el.search.addEventListener('input', () => {
        window.clearTimeout(this.searchTimer);
        this.searchTimer = window.setTimeout(() => this.setQuery(el.search.value), 120);
      });
      el.search.addEventListener('keydown', (ev) => {
        if (ev.key === 'Escape') {
          el.search.value = '';
          this.setQuery('');
        }
      });
      store.onChange((type, id) => {
        if (type === 'units') {
          if (!this.selectedUnit || !store.units.has(this.selectedUnit)) this.selectedUnit = store.root();
          this.expanded.add(store.root());
          this.renderTree();
          this.renderList();
        } else if (type === 'cameras') {
          // The tree's shape depends on cameras only while searching;
          // otherwise keep its nodes (and the keyboard focus) and recount.
          if (this.query || !this.nodes.size) this.renderTree();
          else this.renderCounts();
          this.renderList();
        } else if (type === 'status') {
          this.updateItem(id);
          this.renderCounts();
        } else if (type === 'mode') {
          this.renderMode();
        }
      });
    }

    setQuery(q) {
      const next = q.trim();
      if (next === this.query) return;
      this.query = next;
      this.renderTree();
      this.renderList();
    }

    selectUnit(code) {
      this.selectedUnit = code;
      if (this.query) {
        this.query = '';
        this.el.search.value = '';
      }
      this.renderTree();
      this.renderList();
    }

    // ---------------------------------------------------------- tree

    counts() {
      const total = new Map();
      const online = new Map();
      const offline = new Map();
      store.cameras.forEach((cam) => {
        const st = store.stateOf(cam);
        store.path(cam.unit_code).forEach((u) => {
          total.set(u.code, (total.get(u.code) || 0) + 1);
          if (st === 'online') online.set(u.code, (online.get(u.code) || 0) + 1);
          if (st === 'offline' || st === 'error') offline.set(u.code, (offline.get(u.code) || 0) + 1);
        });
      });
      return { total, online, offline };
    }

    // visibleUnits is null (all) or the set of units to show while
    // searching: matching units, units with matching cameras, and their
    // ancestors.
    visibleUnits() {
      if (!this.query) return null;
      const show = new Set();
      const addPath = (code) => store.path(code).forEach((u) => show.add(u.code));
      store.units.forEach((u) => {
        if (store.matches(u.name + ' ' + (u.kind || ''), this.query)) addPath(u.code);
      });
      store.cameras.forEach((cam) => {
        if (store.matches(cam.name, this.query)) addPath(cam.unit_code);
      });
      return show;
    }

    renderTree() {
      const tree = this.el.tree;
      const root = store.root();
      this.nodes.clear();
      tree.textContent = '';
      if (!root) return;
      const visible = this.visibleUnits();
      const ul = h('ul', 'tree', { role: 'tree' });
      this.buildNode(ul, root, visible, 0);
      tree.append(ul);
      this.renderCounts();
    }

    buildNode(parentUl, code, visible, depth) {
      if (visible && !visible.has(code)) return;
      const u = store.units.get(code);
      const kids = (store.children.get(code) || []).filter((c) => !visible || visible.has(c));
      const open = Boolean(visible) || this.expanded.has(code);
      const li = h('li', 'tree__node', { role: 'treeitem', 'data-unit-code': code, 'data-level': u.level });
      if (kids.length) li.setAttribute('aria-expanded', String(open));
      const row = h('div', 'tree__row');
      row.classList.toggle('tree__row--selected', code === this.selectedUnit && !this.query);
      const toggle = h('button', 'tree__toggle', { type: 'button' });
      if (kids.length) {
        toggle.textContent = open ? '▾' : '▸';
        toggle.setAttribute('aria-label', t(open ? 'nav.collapse' : 'nav.expand'));
        toggle.addEventListener('click', () => {
          if (this.expanded.has(code)) this.expanded.delete(code);
          else this.expanded.add(code);
          this.renderTree();
        });
      } else {
        toggle.disabled = true;
        toggle.classList.add('tree__toggle--leaf');
      }
      const name = h('button', 'tree__name', { type: 'button' });
      name.textContent = u.name;
      name.title = [u.kind, u.name].filter(Boolean).join(': ');
      name.addEventListener('click', () => {
        if (kids.length && !this.expanded.has(code)) this.expanded.add(code);
        this.selectUnit(code);
      });
      const count = h('span', 'tree__count');
      const off = h('span', 'tree__off');
      row.append(toggle, name, off, count);
      li.append(row);
      parentUl.append(li);
      this.nodes.set(code, { li, count, off });
      if (kids.length && open) {
        const ul = h('ul', 'tree__children', { role: 'group' });
        kids.forEach((c) => this.buildNode(ul, c, visible, depth + 1));
        li.append(ul);
      }
    }

    renderCounts() {
      const c = this.counts();
      this.nodes.forEach((n, code) => {
        const total = c.total.get(code) || 0;
        const on = c.online.get(code) || 0;
        const off = c.offline.get(code) || 0;
        n.count.textContent = String(total);
        n.count.title = t('nav.countTitle', { n: total, on });
        n.li.dataset.count = String(total);
        n.count.classList.toggle('tree__count--zero', total === 0);
        n.off.textContent = off ? String(off) : '';
        n.off.hidden = !off;
        n.off.title = off ? t('nav.offlineCount', { n: off }) : '';
      });
    }

    // ---------------------------------------------------------- list

    listedCameras() {
      if (this.query) {
        return store.camerasIn('').filter((cam) => {
          const names = store.path(cam.unit_code).map((u) => u.name).join(' ');
          return store.matches(cam.name + ' ' + names, this.query);
        });
      }
      return store.camerasIn(this.selectedUnit || store.root());
    }

    renderList() {
      const list = this.el.list;
      const cams = store.loaded() ? this.listedCameras() : [];
      const seen = new Set();
      cams.forEach((cam, idx) => {
        seen.add(cam.id);
        let item = this.items.get(cam.id);
        if (!item) item = this.createItem(cam.id);
        this.fillItem(item, cam);
        const at = list.children[idx];
        if (at !== item.li) list.insertBefore(item.li, at || null);
      });
      this.items.forEach((item, id) => {
        if (!seen.has(id)) {
          item.li.remove();
          this.items.delete(id);
        }
      });
      // Title: the unit, or the search.
      if (this.query) {
        this.el.listTitle.textContent = t('nav.searchTitle', { q: this.query });
      } else {
        this.el.listTitle.textContent = store.unitName(this.selectedUnit || store.root()) || t('nav.cameras');
      }
      this.el.count.textContent = store.loaded() ? t('list.count', { n: cams.length }) : '';
      let key = null;
      let params;
      const err = store.listError();
      if (err) {
        key = err.key;
        params = err.params;
      } else if (!store.loaded()) {
        key = 'list.loading';
      } else if (!cams.length) {
        key = this.query ? 'nav.noResults' : 'list.empty';
        params = { q: this.query };
      }
      this.el.status.textContent = key ? t(key, params) : '';
      this.el.status.hidden = !key;
      this.el.status.classList.toggle('nav__status--error', Boolean(err));
    }

    createItem(id) {
      const li = h('li', 'cam', { 'data-camera-id': String(id), draggable: 'true' });
      const btn = h('button', 'cam__btn', { type: 'button' });
      const dot = h('span', 'cam__dot', { 'aria-hidden': 'true' });
      const main = h('span', 'cam__main');
      const name = h('span', 'cam__name');
      const unit = h('span', 'cam__unit');
      main.append(name, unit);
      const badge = h('span', 'badge');
      btn.append(dot, main, badge);
      const info = h('button', 'cam__info', { type: 'button' });
      info.textContent = 'i';
      info.addEventListener('click', (ev) => {
        ev.stopPropagation();
        if (this.opts.onInfo) this.opts.onInfo(id);
      });
      li.append(btn, info);
      btn.addEventListener('click', () => {
        if (this.opts.onPick) this.opts.onPick(id);
      });
      li.addEventListener('dragstart', (ev) => {
        ev.dataTransfer.setData(VMS.Grid.CAMERA_MIME, String(id));
        ev.dataTransfer.setData('text/plain', (store.get(id) || {}).name || String(id));
        ev.dataTransfer.effectAllowed = 'copy';
        li.classList.add('cam--dragging');
      });
      li.addEventListener('dragend', () => li.classList.remove('cam--dragging'));
      const item = { li, btn, dot, name, unit, badge, info };
      this.items.set(id, item);
      return item;
    }

    fillItem(item, cam) {
      const state = store.stateOf(cam);
      item.li.dataset.state = state;
      item.name.textContent = cam.name;
      item.unit.textContent = VMS.Grid.unitLabel(cam);
      item.badge.className = 'badge badge--' + state;
      item.badge.textContent = t('status.' + state);
      const reason = (state === 'offline' || state === 'error') && cam.status ? cam.status.reason || '' : '';
      item.btn.title = [cam.name, reason].filter(Boolean).join(' — ');
      item.info.title = t('tile.info');
      item.info.setAttribute('aria-label', t('tile.info'));
      const shown = this.opts.isShown ? this.opts.isShown(cam.id) : false;
      item.li.classList.toggle('cam--shown', shown);
    }

    updateItem(id) {
      const item = this.items.get(id);
      const cam = store.get(id);
      if (item && cam) this.fillItem(item, cam);
    }

    refreshItems() {
      this.items.forEach((item, id) => this.updateItem(id));
    }

    renderMode() {
      const m = store.mode();
      const key = m === 'live' ? 'list.live' : m === 'polling' ? 'list.polling' : 'list.reconnecting';
      this.el.mode.textContent = t(key);
      this.el.mode.dataset.mode = m;
    }

    renderAll() {
      this.renderTree();
      this.renderList();
      this.refreshItems();
      this.renderMode();
    }
  }

  VMS.Navigator = Navigator;
})();
