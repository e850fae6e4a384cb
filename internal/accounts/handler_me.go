package accounts

import "net/http"

// MeResponse is the body of GET /api/v1/me.
type MeResponse struct {
	User               Principal `json:"user"`
	Unit               Unit      `json:"unit"`
	Path               []Unit    `json:"path"` // root → own unit
	CSRFToken          string    `json:"csrf_token"`
	MustChangePassword bool      `json:"must_change_password"`
	// Permissions lists the actions Can allows on the user's own unit, for
	// the UI to show or hide menus (the server checks again).
	Permissions []Action `json:"permissions"`
}

// Me handles GET /api/v1/me.
func (h *Handlers) Me(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	unit, _ := p.Tree.Unit(p.Unit)
	resp := MeResponse{User: p, Unit: unit, Path: p.Tree.Path(p.Unit), CSRFToken: p.CSRFToken,
		MustChangePassword: p.MustChangePassword, Permissions: []Action{}}
	for _, a := range Actions() {
		if Can(p, a, Resource{Unit: p.Unit}) == nil {
			resp.Permissions = append(resp.Permissions, a)
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

type changePasswordRequest struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

// ChangePassword handles POST /api/v1/me/password:
// {"old_password","new_password"} → 204. Other sessions of the user end.
func (h *Handlers) ChangePassword(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	var req changePasswordRequest
	if err := decodeJSON(w, r, &req); err != nil {
		WriteError(w, h.log, err)
		return
	}
	switch {
	case req.OldPassword == "":
		WriteError(w, h.log, invalidField("old_password", "is required"))
		return
	case req.NewPassword == "":
		WriteError(w, h.log, invalidField("new_password", "is required"))
		return
	}
	if err := h.svc.ChangePassword(r.Context(), p, req.OldPassword, req.NewPassword); err != nil {
		WriteError(w, h.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
