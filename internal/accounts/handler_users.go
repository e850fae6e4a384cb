package accounts

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
)

// userResponse is a user and, when one was just generated, its password.
type userResponse struct {
	User     User   `json:"user"`
	Password string `json:"password,omitempty"`
}

// ListUsers handles GET /api/v1/users[?unit=CODE]: the accounts of the
// unit's subtree (default: the admin's own).
func (h *Handlers) ListUsers(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	users, err := h.svc.ListUsers(r.Context(), p, r.URL.Query().Get("unit"))
	if err != nil {
		WriteError(w, h.log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users})
}

// CreateUser handles POST /api/v1/users with a NewUser body → 201. A
// generated password is in the response, once.
func (h *Handlers) CreateUser(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	var req NewUser
	if err := decodeJSON(w, r, &req); err != nil {
		WriteError(w, h.log, err)
		return
	}
	for _, f := range [][2]string{{"username", req.Username}, {"role", string(req.Role)}, {"unit_code", req.UnitCode}} {
		if f[1] == "" {
			WriteError(w, h.log, invalidField(f[0], "is required"))
			return
		}
	}
	u, password, err := h.svc.CreateUser(r.Context(), p, req)
	if err != nil {
		WriteError(w, h.log, err)
		return
	}
	writeJSON(w, http.StatusCreated, userResponse{User: u, Password: password})
}

// UpdateUser handles PATCH /api/v1/users/{id} with a UserPatch body:
// display_name, role, unit_code, disabled, reset_password. The new password
// of a reset is in the response, once.
func (h *Handlers) UpdateUser(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		WriteError(w, h.log, fmt.Errorf("user %q: %w", r.PathValue("id"), ErrNotFound))
		return
	}
	var patch UserPatch
	if err := decodeJSON(w, r, &patch); err != nil {
		WriteError(w, h.log, err)
		return
	}
	u, password, err := h.svc.UpdateUser(r.Context(), p, id, patch)
	if err != nil {
		WriteError(w, h.log, err)
		return
	}
	writeJSON(w, http.StatusOK, userResponse{User: u, Password: password})
}

// BulkCommuneAccounts handles POST /api/v1/units/{code}/commune-accounts:
// 201 with {"credentials": [...]}, or the same as a CSV download with
// ?format=csv (to print and hand out). Passwords are shown only here.
func (h *Handlers) BulkCommuneAccounts(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	creds, err := h.svc.BulkCreateCommuneAccounts(r.Context(), p, r.PathValue("code"))
	if err != nil {
		WriteError(w, h.log, err)
		return
	}
	if r.URL.Query().Get("format") != "csv" {
		writeJSON(w, http.StatusCreated, map[string]any{"credentials": creds})
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="commune-accounts-%s.csv"`, r.PathValue("code")))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusCreated)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"unit_code", "unit_name", "username", "password"})
	for _, c := range creds {
		_ = cw.Write([]string{c.UnitCode, c.UnitName, c.Username, c.Password})
	}
	cw.Flush()
}
