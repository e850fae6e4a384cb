package camera

import "net/http"

// delete answers DELETE /api/v1/cameras/{id} with 204.
func (h *Handlers) delete(w http.ResponseWriter, r *http.Request) {
	c, err := h.load(r, ActionDelete)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Store.Delete(r.Context(), c.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.log().InfoContext(r.Context(), "camera deleted", "camera", c)
	h.audit(r.Context(), ActionDelete, c)
	if h.OnDelete != nil {
		h.OnDelete(r.Context(), c.ID)
	}
	w.WriteHeader(http.StatusNoContent)
}
