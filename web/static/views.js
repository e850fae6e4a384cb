// views.js: VMS.Views, a user's saved grid views (layout + cells):
//   GET /api/v1/views → {"views":[{id,name,layout,cells,created_at,updated_at}]}
//   POST /api/v1/views {name,layout,cells} → 201 view; PUT /api/v1/views/{id} → 200 view
//   DELETE /api/v1/views/{id} → 204; 409 duplicate name; 400 {"error"}
// Saving under the name of an existing view overwrites it (PUT).
'use strict';

(function () {
  const VMS = (window.VMS = window.VMS || {});
  const t = window.VMS_I18N.t;
  const api = VMS.api;

  // list fetches the views; resolves to null when the server has none
  // of this API yet (404).
  async function list() {
    try {
      const data = await api.json('GET', '/api/v1/views');
      return Array.isArray(data.views) ? data.views : [];
    } catch (e) {
      if (e instanceof VMS.ApiError && (e.status === 404 || e.status === 405)) return null;
      throw e;
    }
  }

  class Views {
    // el: {select, save, del, dialog, form, name, error, cancel,
    //      confirm, confirmText, confirmOk, confirmCancel, toast}
    constructor(el, grid) {
      this.el = el;
      this.grid = grid;
      this.views = [];
      this.current = null; // id of the open view
      this.available = true;
      this.toastTimer = 0;
      el.select.addEventListener('change', () => {
        const id = Number(el.select.value);
        if (id) this.open(id);
        else this.current = null;
        this.renderButtons();
      });
      el.save.addEventListener('click', () => this.askSave());
      el.del.addEventListener('click', () => this.askDelete());
      el.form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        this.save();
      });
      el.cancel.addEventListener('click', () => el.dialog.close());
      el.confirmCancel.addEventListener('click', () => el.confirm.close());
      el.confirmOk.addEventListener('click', () => {
        el.confirm.close();
        this.remove();
      });
    }

    async load() {
      let views;
      try {
        views = await list();
      } catch (_) {
        return;
      }
      this.available = views !== null;
      this.views = views || [];
      if (this.current && !this.views.some((v) => v.id === this.current)) this.current = null;
      this.render();
    }

    render() {
      const sel = this.el.select;
      sel.textContent = '';
      const none = document.createElement('option');
      none.value = '';
      none.textContent = t(this.available ? 'views.none' : 'views.unavailable');
      sel.append(none);
      this.views.slice().sort((a, b) => String(a.name).localeCompare(String(b.name), 'vi'))
        .forEach((v) => {
          const o = document.createElement('option');
          o.value = String(v.id);
          o.textContent = v.name;
          sel.append(o);
        });
      sel.value = this.current ? String(this.current) : '';
      sel.disabled = !this.available;
      this.renderButtons();
    }

    renderButtons() {
      this.el.save.disabled = !this.available;
      this.el.del.disabled = !this.available || !this.current;
      this.el.save.title = t(this.available ? 'views.saveTitle' : 'views.unavailable');
    }

    byId(id) {
      return this.views.find((v) => v.id === id) || null;
    }

    open(id) {
      const v = this.byId(id);
      if (!v) return;
      this.current = id;
      this.grid.setCells(v.cells, v.layout);
      this.el.select.value = String(id);
      this.renderButtons();
    }

    askSave() {
      const v = this.current ? this.byId(this.current) : null;
      this.el.name.value = v ? v.name : '';
      this.el.error.hidden = true;
      this.el.dialog.showModal();
      this.el.name.focus();
      this.el.name.select();
    }

    async save() {
      const name = this.el.name.value.trim();
      if (!name) return this.showError(t('views.nameMissing'));
      const body = { name, layout: this.grid.layout, cells: this.grid.getCells() };
      const same = this.views.find((v) => v.name === name);
      try {
        const saved = same
          ? await api.json('PUT', '/api/v1/views/' + encodeURIComponent(same.id), body)
          : await api.json('POST', '/api/v1/views', body);
        this.el.dialog.close();
        if (saved && typeof saved.id === 'number') this.current = saved.id;
        await this.load();
        this.toast(t('views.saved', { name }));
      } catch (e) {
        if (!(e instanceof VMS.ApiError)) return this.showError(t('why.server'));
        if (e.status === 409) return this.showError(t('views.duplicate'));
        if (e.status === 400 && e.body.error) return this.showError(t('views.invalid', { text: e.body.error }));
        if (e.status === 404) {
          this.available = false;
          this.render();
          return this.showError(t('views.unavailable'));
        }
        return this.showError(t('views.failed', { status: e.status }));
      }
      return undefined;
    }

    showError(text) {
      this.el.error.textContent = text;
      this.el.error.hidden = false;
    }

    askDelete() {
      const v = this.current ? this.byId(this.current) : null;
      if (!v) return;
      this.el.confirmText.textContent = t('views.deleteConfirm', { name: v.name });
      this.el.confirm.showModal();
    }

    async remove() {
      const v = this.current ? this.byId(this.current) : null;
      if (!v) return;
      try {
        await api.json('DELETE', '/api/v1/views/' + encodeURIComponent(v.id));
        this.current = null;
        await this.load();
        this.toast(t('views.deleted', { name: v.name }));
      } catch (e) {
        this.toast(e instanceof VMS.ApiError ? t('views.failed', { status: e.status }) : t('why.server'));
      }
    }

    toast(text) {
      const el = this.el.toast;
      el.textContent = text;
      el.hidden = false;
      window.clearTimeout(this.toastTimer);
      this.toastTimer = window.setTimeout(() => { el.hidden = true; }, 4000);
    }
  }

  Views.list = list;
  VMS.Views = Views;
})();
