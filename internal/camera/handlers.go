package camera

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/vms-project/vms/internal/httpx"
)

// Actions passed to Handlers.Authorize.
const (
	ActionList   = "camera.list"
	ActionView   = "camera.view"
	ActionCreate = "camera.create"
	ActionUpdate = "camera.update"
	ActionDelete = "camera.delete"
)

// Handlers serves /api/v1/cameras. Only Store is required; the function
// fields are how the composition root plugs in the relay and accounts
// without this package importing them.
type Handlers struct {
	Store *Store
	// Log receives 5xx errors and changes; nil discards.
	Log *slog.Logger
	// Status returns the relay's live state of a camera, embedded as
	// "status" in every camera answer. nil (or a nil result) means
	// {"state":"idle"}.
	Status func(id int64) any
	// RedactStatus returns the status as a caller who may view but not
	// update the camera sees it (camera addresses taken out of its texts).
	// It must not modify status. nil shows every caller the same status.
	RedactStatus func(status any) any
	// RedactReason is the same for one status text (a history row's
	// reason); nil keeps texts as they are.
	RedactReason func(reason string) string
	// OnChange runs after a camera is created or updated, before the answer,
	// so the relay can restart its puller. It must not block for long.
	OnChange func(ctx context.Context, c Camera)
	// OnDelete runs after a camera is deleted, so the relay can stop it.
	OnDelete func(ctx context.Context, id int64)
	// Authorize decides whether the request may do action. cam is the camera
	// concerned (for create, the one about to be stored), or nil for list
	// and for a camera that does not exist. Return an error wrapping
	// ErrUnauthorized (401), ErrForbidden (403) or ErrNotFound (404, to hide
	// the camera). nil allows everything.
	Authorize func(r *http.Request, action string, cam *Camera) error
	// Audit is told of every change made through the API, for the audit
	// log: action is ActionCreate, ActionUpdate or ActionDelete, c the
	// camera as stored after the change (as it was, for a deletion). It runs
	// before the answer and must not block for long. nil ignores changes.
	Audit func(ctx context.Context, action string, c Camera)
	// Probe connects to a camera once, as the relay would, and returns the
	// answer of POST /api/v1/cameras/probe (which must never hold the
	// password). warnings are the handler's own notes for the answer (such
	// as a stored password withheld). nil answers that endpoint 404.
	Probe func(ctx context.Context, src Source, warnings []string) any
}

// Routes registers the camera API on mux.
func Routes(mux *http.ServeMux, h *Handlers) {
	mux.HandleFunc("GET /api/v1/cameras", h.list)
	mux.HandleFunc("POST /api/v1/cameras", h.create)
	mux.HandleFunc("POST /api/v1/cameras/probe", h.probe)
	mux.HandleFunc("GET /api/v1/cameras/{id}", h.get)
	mux.HandleFunc("GET /api/v1/cameras/{id}/history", h.history)
	mux.HandleFunc("PATCH /api/v1/cameras/{id}", h.update)
	mux.HandleFunc("DELETE /api/v1/cameras/{id}", h.delete)
}

func (h *Handlers) log() *slog.Logger {
	if h.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return h.Log
}

func (h *Handlers) authorize(r *http.Request, action string, cam *Camera) error {
	if h.Authorize == nil {
		return nil
	}
	return h.Authorize(r, action, cam)
}

func (h *Handlers) audit(ctx context.Context, action string, c Camera) {
	if h.Audit != nil {
		h.Audit(ctx, action, c)
	}
}

// view is the answer shape of c for the caller of r: the connection fields
// and an unredacted status only if the caller may update c.
func (h *Handlers) view(r *http.Request, c Camera) cameraJSON {
	var status any
	if h.Status != nil {
		status = h.Status(c.ID)
	}
	if status == nil {
		status = map[string]string{"state": "idle"}
	}
	connection := h.authorize(r, ActionUpdate, &c) == nil
	if !connection && h.RedactStatus != nil {
		status = h.RedactStatus(status)
	}
	return toJSON(c, status, connection)
}

// fail answers err; server-side failures are logged here because the
// client only sees a generic message.
func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	if httpx.Status(err) >= 500 {
		h.log().ErrorContext(r.Context(), "camera api", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	httpx.WriteError(w, err)
}

// load parses {id} and returns the camera, authorized for action. A missing
// camera is still put to Authorize (with nil) first, so an unauthenticated
// caller learns 401, not which ids exist.
func (h *Handlers) load(r *http.Request, action string) (Camera, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return Camera{}, &httpx.RequestError{Field: "id", Message: "id must be a positive integer"}
	}
	c, err := h.Store.Get(r.Context(), id)
	if err != nil {
		if httpx.Status(err) == http.StatusNotFound {
			if aerr := h.authorize(r, action, nil); aerr != nil {
				return Camera{}, aerr
			}
		}
		return Camera{}, err
	}
	if err := h.authorize(r, action, &c); err != nil {
		return Camera{}, err
	}
	return c, nil
}
