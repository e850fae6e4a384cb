package camera

import (
	"net/http"
	"strconv"

	"github.com/vms-project/vms/internal/httpx"
)

// create answers POST /api/v1/cameras with 201, a Location header and the
// stored camera. The body has the Patch fields; absent ones take the
// defaults (transport auto, on_demand and enabled true).
func (h *Handlers) create(w http.ResponseWriter, r *http.Request) {
	var p Patch
	if err := httpx.DecodeJSON(w, r, &p); err != nil {
		h.fail(w, r, err)
		return
	}
	c := p.Apply(defaults())
	normalize(&c)
	if err := h.authorize(r, ActionCreate, &c); err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.Store.Create(r.Context(), c)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.log().InfoContext(r.Context(), "camera created", "camera", c)
	h.audit(r.Context(), ActionCreate, c)
	if h.OnChange != nil {
		h.OnChange(r.Context(), c)
	}
	w.Header().Set("Location", "/api/v1/cameras/"+strconv.FormatInt(c.ID, 10))
	httpx.WriteJSON(w, http.StatusCreated, h.view(r, c))
}
