package accounts

import (
	"net/http"
	"strings"
)

// CookieName is the session cookie.
const CookieName = "vms_session"

// CSRFHeader is the header cookie-authenticated state-changing requests
// must carry, holding the csrf_token from login or GET /api/v1/me.
const CSRFHeader = "X-CSRF-Token"

// setSessionCookie sets the session cookie: HttpOnly, SameSite=Strict,
// Secure on TLS (or when configured), and without Expires so it ends with
// the browser — shared office PCs are common; the server's own timeouts
// apply regardless.
func (s *Service) setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil || s.cfg.SecureCookie,
	})
}

func (s *Service) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil || s.cfg.SecureCookie,
	})
}

// tokenFrom returns the session token of r: an Authorization: Bearer
// header wins over the cookie. fromCookie says which one it was.
func tokenFrom(r *http.Request) (token string, fromCookie bool) {
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, tok, ok := strings.Cut(auth, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(tok), false
		}
		return "", false
	}
	if c, err := r.Cookie(CookieName); err == nil {
		return c.Value, true
	}
	return "", false
}
