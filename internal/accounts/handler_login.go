package accounts

import (
	"net/http"
	"time"
)

// loginRequest is the body of POST /api/v1/login.
type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// LoginResponse is the body of a successful login.
type LoginResponse struct {
	Token              string    `json:"token"`
	CSRFToken          string    `json:"csrf_token"`
	ExpiresAt          time.Time `json:"expires_at"`
	User               User      `json:"user"`
	MustChangePassword bool      `json:"must_change_password"`
}

// Login handles POST /api/v1/login: {"username","password"} → 200 with
// the token (for Authorization: Bearer), the CSRF token (for cookie use)
// and the user, and sets the vms_session cookie. 401 for bad credentials,
// 429 with Retry-After when rate limited.
func (h *Handlers) Login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := decodeJSON(w, r, &req); err != nil {
		WriteError(w, h.log, err)
		return
	}
	switch {
	case req.Username == "":
		WriteError(w, h.log, invalidField("username", "is required"))
		return
	case req.Password == "":
		WriteError(w, h.log, invalidField("password", "is required"))
		return
	}
	sess, err := h.svc.Login(r.Context(), req.Username, req.Password, r.RemoteAddr)
	if err != nil {
		WriteError(w, h.log, err)
		return
	}
	h.svc.setSessionCookie(w, r, sess.Token)
	writeJSON(w, http.StatusOK, LoginResponse{
		Token: sess.Token, CSRFToken: sess.CSRFToken, ExpiresAt: sess.ExpiresAt, User: sess.User,
		MustChangePassword: sess.User.MustChangePassword,
	})
}

// Logout handles POST /api/v1/logout: ends the session, clears the cookie,
// 204.
func (h *Handlers) Logout(w http.ResponseWriter, r *http.Request) {
	token, _ := tokenFrom(r)
	if err := h.svc.Logout(r.Context(), token, r.RemoteAddr); err != nil && StatusOf(err) != http.StatusUnauthorized {
		WriteError(w, h.log, err)
		return
	}
	h.svc.clearSessionCookie(w, r)
	w.WriteHeader(http.StatusNoContent)
}
