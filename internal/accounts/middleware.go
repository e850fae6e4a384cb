package accounts

import (
	"errors"
	"net/http"
	"strings"
)

// Middleware authenticates every request and puts its Principal in the
// context (PrincipalFrom). The token comes from "Authorization: Bearer …"
// or, failing that, the vms_session cookie.
//
// Under Config.ProtectedPrefixes (default /api/), except
// Config.PublicPaths (default /api/v1/login), a request without a valid
// session gets 401 JSON, and a user who must change a generated password
// may only use GET /api/v1/me, POST /api/v1/me/password and POST
// /api/v1/logout (403 otherwise). Public paths never get a Principal.
// Elsewhere (pages, static files) a valid session yields a Principal and
// anonymous requests pass through without one.
//
// CSRF: a state-changing request (not GET/HEAD/OPTIONS) authenticated by
// the cookie must carry X-CSRF-Token equal to the session's csrf_token
// (returned by login and GET /api/v1/me; derived from the session token, so
// another site cannot know it), else 403. Such requests, and anonymous
// ones like login, are also refused when the browser marks them
// cross-origin (Sec-Fetch-Site / Origin, http.CrossOriginProtection) unless
// the origin is in Config.TrustedOrigins. Bearer requests are exempt from
// both: browsers never attach that header on their own.
func (s *Service) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		isPublic, protected := s.classify(r.URL.Path)
		token, fromCookie := tokenFrom(r)
		bearer := token != "" && !fromCookie
		unsafe := r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions
		if unsafe && !bearer {
			if err := s.origins.Check(r); err != nil {
				WriteError(w, s.log, public(ErrForbidden, "cross-origin request refused"))
				return
			}
		}
		if isPublic {
			// Login and friends never act on a session, so they neither
			// need one nor get one (a stale cookie must not block login).
			next.ServeHTTP(w, r)
			return
		}
		if token == "" {
			if protected {
				WriteError(w, s.log, ErrUnauthenticated)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		p, err := s.Authenticate(r.Context(), token)
		if err != nil {
			if fromCookie {
				s.clearSessionCookie(w, r)
			}
			if protected || !errors.Is(err, ErrUnauthenticated) {
				WriteError(w, s.log, err)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if fromCookie && unsafe && !validCSRF(token, r.Header.Get(CSRFHeader)) {
			WriteError(w, s.log, &wrappedField{field: CSRFHeader,
				err: public(ErrForbidden, "missing or wrong %s header (use csrf_token from login or /api/v1/me)", CSRFHeader)})
			return
		}
		if p.MustChangePassword && protected && !passwordChangePath(r) {
			WriteError(w, s.log, ErrPasswordChangeRequired)
			return
		}
		p.RemoteAddr = hostOnly(r.RemoteAddr)
		next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
	})
}

// classify says whether path is public (Config.PublicPaths: no session is
// read) or protected (under Config.ProtectedPrefixes: a session is
// required); other paths get a Principal when there is a valid session.
func (s *Service) classify(path string) (public, protected bool) {
	for _, pub := range s.cfg.PublicPaths {
		if path == pub {
			return true, false
		}
	}
	for _, prefix := range s.cfg.ProtectedPrefixes {
		if strings.HasPrefix(path, prefix) {
			return false, true
		}
	}
	return false, false
}

// passwordChangePath lists what a user with a generated password may do.
func passwordChangePath(r *http.Request) bool {
	switch r.Method + " " + r.URL.Path {
	case "GET /api/v1/me", "POST /api/v1/me/password", "POST /api/v1/logout":
		return true
	}
	return false
}
