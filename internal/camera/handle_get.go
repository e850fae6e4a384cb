package camera

import (
	"net/http"

	"github.com/vms-project/vms/internal/httpx"
)

// get answers GET /api/v1/cameras/{id}.
func (h *Handlers) get(w http.ResponseWriter, r *http.Request) {
	c, err := h.load(r, ActionView)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, h.view(r, c))
}
