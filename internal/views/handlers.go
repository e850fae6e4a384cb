package views

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/vms-project/vms/internal/httpx"
)

// Handlers serve /api/v1/views. Every role may keep views; each user sees
// only their own (another user's view is 404 like a missing one).
type Handlers struct {
	Store *Store
	Scope Scope
	// Log receives 5xx errors; nil discards.
	Log *slog.Logger
}

// Routes registers the views API on mux.
func Routes(mux *http.ServeMux, h *Handlers) {
	mux.HandleFunc("GET /api/v1/views", h.list)
	mux.HandleFunc("POST /api/v1/views", h.create)
	mux.HandleFunc("PUT /api/v1/views/{id}", h.update)
	mux.HandleFunc("DELETE /api/v1/views/{id}", h.delete)
}

// viewJSON is the answer shape of a view.
type viewJSON struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Layout    int       `json:"layout"`
	Cells     []*int64  `json:"cells"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// seen memoizes Scope.CanSee within one request: a list of views often
// names the same cameras.
type seen struct {
	scope Scope
	r     *http.Request
	ids   map[int64]bool
}

func (s *seen) canSee(id int64) (bool, error) {
	if ok, hit := s.ids[id]; hit {
		return ok, nil
	}
	ok, err := s.scope.CanSee(s.r, id)
	if err != nil {
		return false, err
	}
	s.ids[id] = ok
	return ok, nil
}

func (h *Handlers) seer(r *http.Request) *seen {
	return &seen{scope: h.Scope, r: r, ids: map[int64]bool{}}
}

// toJSON hides the cameras the caller may no longer see (moved out of
// scope or deleted) as empty tiles.
func (h *Handlers) toJSON(s *seen, v View) (viewJSON, error) {
	cells := make([]*int64, len(v.Cells))
	for i, id := range v.Cells {
		if id == nil {
			continue
		}
		ok, err := s.canSee(*id)
		if err != nil {
			return viewJSON{}, err
		}
		if ok {
			cells[i] = id
		}
	}
	return viewJSON{ID: v.ID, Name: v.Name, Layout: v.Layout, Cells: cells, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}, nil
}

func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	if httpx.Status(err) >= 500 && h.Log != nil {
		h.Log.ErrorContext(r.Context(), "views api", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	httpx.WriteError(w, err)
}

func (h *Handlers) answer(w http.ResponseWriter, r *http.Request, status int, v View) {
	out, err := h.toJSON(h.seer(r), v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, status, out)
}

func (h *Handlers) list(w http.ResponseWriter, r *http.Request) {
	owner, err := h.Scope.Owner(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	vs, err := h.Store.List(r.Context(), owner)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := struct {
		Views []viewJSON `json:"views"`
	}{Views: make([]viewJSON, 0, len(vs))}
	s := h.seer(r)
	for _, v := range vs {
		j, err := h.toJSON(s, v)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		out.Views = append(out.Views, j)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// decode reads and validates a POST or PUT body for the caller.
func (h *Handlers) decode(w http.ResponseWriter, r *http.Request) (View, error) {
	owner, err := h.Scope.Owner(r)
	if err != nil {
		return View{}, err
	}
	var in input
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return View{}, err
	}
	v, err := in.validate(r, h.Scope)
	v.UserID = owner
	return v, err
}

func (h *Handlers) create(w http.ResponseWriter, r *http.Request) {
	v, err := h.decode(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if v, err = h.Store.Create(r.Context(), v); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/views/"+strconv.FormatInt(v.ID, 10))
	h.answer(w, r, http.StatusCreated, v)
}

func (h *Handlers) update(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	owner, err := h.Scope.Owner(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// Another user's view is 404 whatever the body says.
	if _, err := h.Store.Get(r.Context(), owner, id); err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.decode(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.ID = id
	if v, err = h.Store.Update(r.Context(), v); err != nil {
		h.fail(w, r, err)
		return
	}
	h.answer(w, r, http.StatusOK, v)
}

func (h *Handlers) delete(w http.ResponseWriter, r *http.Request) {
	owner, err := h.Scope.Owner(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := parseID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Store.Delete(r.Context(), owner, id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func parseID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, &httpx.RequestError{Field: "id", Message: "id must be a positive integer"}
	}
	return id, nil
}
