package camera

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/vms-project/vms/internal/httpx"
)

// listJSON is the answer of GET /api/v1/cameras; an object rather than a
// bare array so paging can be added without breaking clients.
type listJSON struct {
	Cameras []cameraJSON `json:"cameras"`
}

// list answers GET /api/v1/cameras[?unit_code=X&enabled=true]. Cameras the
// caller may not view are left out, not refused.
func (h *Handlers) list(w http.ResponseWriter, r *http.Request) {
	if err := h.authorize(r, ActionList, nil); err != nil {
		h.fail(w, r, err)
		return
	}
	f := Filter{UnitCode: r.URL.Query().Get("unit_code")}
	if s := r.URL.Query().Get("enabled"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			h.fail(w, r, &httpx.RequestError{Field: "enabled", Message: "enabled must be true or false"})
			return
		}
		f.Enabled = &b
	}
	cams, err := h.Store.List(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := listJSON{Cameras: []cameraJSON{}}
	for i := range cams {
		err := h.authorize(r, ActionView, &cams[i])
		switch {
		case err == nil:
			out.Cameras = append(out.Cameras, h.view(r, cams[i]))
		case errors.Is(err, ErrForbidden) || errors.Is(err, ErrNotFound):
			// Out of the caller's scope: the camera simply is not listed.
		default:
			h.fail(w, r, err)
			return
		}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
