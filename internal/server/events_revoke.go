package server

import (
	"context"
	"net/http"

	"github.com/vms-project/vms/internal/accounts"
)

// recheckStreams ends the event streams of accounts that lost access since
// the stream opened (disabled from the shell, moved, must change a
// password): one account lookup per user holding streams, every
// Deps.RecheckViewers.
func (s *Server) recheckStreams(ctx context.Context) {
	for _, p := range s.events.users() {
		if ctx.Err() != nil {
			return
		}
		err := s.d.Accounts.CheckViewer(ctx, p.UserID, p.Unit)
		switch accounts.StatusOf(err) {
		case http.StatusOK:
			continue
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
			id := p.UserID
			n := s.events.endWhere(func(q accounts.Principal) bool { return q.UserID == id }, revokedReason)
			s.log.Info("event streams ended", "user_id", id, "streams", n, "reason", revokedReason)
		default:
			s.log.Warn("recheck event streams", "user_id", p.UserID, "err", err)
		}
	}
}

// endStreamsOnLogout ends the event streams of a session once
// POST /api/v1/logout has ended it.
func (s *Server) endStreamsOnLogout(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/logout" {
			return
		}
		if p, ok := accounts.PrincipalFrom(r.Context()); ok && p.SessionID != 0 {
			sid := p.SessionID
			s.events.endWhere(func(q accounts.Principal) bool { return q.SessionID == sid }, "logged out")
		}
	})
}
