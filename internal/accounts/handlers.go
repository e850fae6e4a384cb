package accounts

import (
	"log/slog"
	"net/http"
)

// Handlers is the accounts JSON API. Every handler except Login expects
// Middleware to have authenticated the request.
type Handlers struct {
	svc *Service
	log *slog.Logger
}

// NewHandlers returns the API over svc.
func NewHandlers(svc *Service, log *slog.Logger) *Handlers {
	return &Handlers{svc: svc, log: log.With("component", "accounts-http")}
}

// Routes registers the API on mux. Wrap the mux (or the server's root
// handler) in svc.Middleware so these see a Principal.
func (h *Handlers) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/login", h.Login)
	mux.HandleFunc("POST /api/v1/logout", h.Logout)
	mux.HandleFunc("GET /api/v1/me", h.Me)
	mux.HandleFunc("POST /api/v1/me/password", h.ChangePassword)
	mux.HandleFunc("GET /api/v1/users", h.ListUsers)
	mux.HandleFunc("POST /api/v1/users", h.CreateUser)
	mux.HandleFunc("PATCH /api/v1/users/{id}", h.UpdateUser)
	mux.HandleFunc("POST /api/v1/units/{code}/commune-accounts", h.BulkCommuneAccounts)
	mux.HandleFunc("GET /api/v1/units", h.Units)
	mux.HandleFunc("POST /api/v1/units/import", h.ImportUnits)
	mux.HandleFunc("GET /api/v1/audit", h.Audit)
	mux.HandleFunc("GET /api/v1/audit.csv", h.AuditCSV)
}

// principal returns the request's principal or answers 401.
func (h *Handlers) principal(w http.ResponseWriter, r *http.Request) (Principal, bool) {
	p, ok := PrincipalFrom(r.Context())
	if !ok {
		WriteError(w, h.log, ErrUnauthenticated)
	}
	return p, ok
}
