package camera

import (
	"net/http"
	"strings"

	"github.com/vms-project/vms/internal/httpx"
)

// update answers PATCH /api/v1/cameras/{id} (merge-patch semantics: absent
// or null fields are unchanged; "password": "" clears the password).
func (h *Handlers) update(w http.ResponseWriter, r *http.Request) {
	old, err := h.load(r, ActionUpdate)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var p Patch
	if err := httpx.DecodeJSON(w, r, &p); err != nil {
		h.fail(w, r, err)
		return
	}
	// Moving a camera to another unit needs the right on the target unit too.
	if p.UnitCode != nil && strings.TrimSpace(*p.UnitCode) != old.UnitCode {
		moved := p.Apply(old)
		normalize(&moved)
		if err := h.authorize(r, ActionUpdate, &moved); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	c, err := h.Store.Update(r.Context(), old.ID, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.log().InfoContext(r.Context(), "camera updated", "camera", c)
	h.audit(r.Context(), ActionUpdate, c)
	if h.OnChange != nil {
		h.OnChange(r.Context(), c)
	}
	httpx.WriteJSON(w, http.StatusOK, h.view(r, c))
}
