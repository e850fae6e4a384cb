// wall.js: the operations centre's video wall (wall.html): a full-bleed
// grid without chrome, unit + counter labels on every tile, a clock, and
// an optional tour.
//   ?layout=4|9|16    tiles per page (default 9)
//   ?tour=30          show the next page every 30 s (at least 5)
//   ?view=<id>|all    saved views instead of pages of every camera in
//                     scope; with a tour, cycles through the saved views
//                     starting at <id>
// It must run for days: tiles, <video> elements and timers are created
// once; each camera change closes the previous peer connection and ends
// its WHEP session. Not logged in: off to the login page, and back.
'use strict';

(function () {
  const VMS = window.VMS;
  const I18N = window.VMS_I18N;
  const t = I18N.t;
  const api = VMS.api;
  const store = VMS.store;

  const params = new URLSearchParams(window.location.search);
  const layoutParam = Number(params.get('layout'));
  const LAYOUT = VMS.Grid.LAYOUTS.includes(layoutParam) && layoutParam > 1 ? layoutParam : 9;
  const tourS = Number(params.get('tour'));
  const TOUR_MS = tourS > 0 ? Math.max(5, tourS) * 1000 : 0;
  const viewParam = params.get('view') || '';

  const $ = (id) => document.getElementById(id);
  let grid = null;
  let page = 0;
  let views = null; // saved views when the wall shows views
  let pageKey = '';

  // redirectToLogin goes to the login page, which comes back here; a
  // session lost while the wall runs says so there.
  function redirectToLogin(expired) {
    window.location.replace(api.loginURL(expired ? 'expired' : ''));
  }

  // pages lists what each page shows: {layout, cells, label}.
  function pages() {
    if (views) {
      return views.map((v) => ({ layout: v.layout, cells: v.cells, label: t('wall.view', { name: v.name }) }));
    }
    const cams = store.camerasIn('').filter((c) => c.enabled !== false).map((c) => c.id);
    const out = [];
    for (let i = 0; i < cams.length; i += LAYOUT) out.push({ layout: LAYOUT, cells: cams.slice(i, i + LAYOUT) });
    return out;
  }

  function show() {
    const list = pages();
    $('wall-empty').hidden = list.length > 0 || !store.loaded();
    if (!list.length) {
      grid.clearAll();
      renderInfo(0, 0, '');
      return;
    }
    if (page >= list.length) page = 0;
    const p = list[page];
    const key = p.layout + ':' + p.cells.join(',');
    if (key !== pageKey) {
      pageKey = key;
      grid.setCells(p.cells, p.layout);
    }
    renderInfo(page + 1, list.length, p.label || '');
  }

  function renderInfo(n, total, label) {
    const me = api.me();
    const parts = [];
    if (me && me.unit && me.unit.name) parts.push(me.unit.name);
    if (label) parts.push(label);
    if (total > 1) parts.push(t('wall.page', { n, total }));
    $('wall-info').textContent = parts.join(' · ');
  }

  // The formatters are made once: the clock ticks for days.
  const clockFmt = new Intl.DateTimeFormat(I18N.locale(), {
    hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  });
  const dateFmt = new Intl.DateTimeFormat(I18N.locale(), {
    weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric',
  });

  function renderClock() {
    const now = new Date();
    $('wall-clock').textContent = clockFmt.format(now);
    const d = dateFmt.format(now);
    if ($('wall-date').textContent !== d) $('wall-date').textContent = d;
  }

  async function loadViews() {
    let list;
    try {
      list = await VMS.Views.list();
    } catch (_) {
      list = null;
    }
    if (!list || !list.length) return null;
    list.sort((a, b) => a.id - b.id);
    if (viewParam === 'all') return list;
    const i = list.findIndex((v) => String(v.id) === viewParam);
    if (i < 0) return null;
    // One view, or a tour starting at it.
    return TOUR_MS ? list.slice(i).concat(list.slice(0, i)) : [list[i]];
  }

  async function init() {
    let me = null;
    try {
      me = await api.loadMe();
    } catch (_) {
      // Server unreachable: try again shortly, without a login loop.
      window.setTimeout(init, 5000);
      return;
    }
    if (!me) {
      redirectToLogin(false);
      return;
    }
    if (me.must_change_password) {
      window.location.replace('/');
      return;
    }
    grid = new VMS.Grid($('wall-grid'), { wall: true, allowEdit: false });
    grid.setLayout(LAYOUT);
    window.vmsGrid = grid;
    window.vmsPlayers = grid.players;
    window.vmsStore = store;
    renderClock();
    window.setInterval(renderClock, 1000);
    store.onChange((type) => {
      if (type === 'cameras' && !views) show();
    });
    if (viewParam) views = await loadViews();
    await store.start();
    show();
    if (TOUR_MS) {
      window.setInterval(() => {
        page += 1;
        show();
      }, TOUR_MS);
    }
    window.addEventListener('pagehide', () => grid.stopAll());
  }

  I18N.apply(document);
  api.onUnauthorized(() => redirectToLogin(true));
  init();
})();
