package server

import (
	"context"
	"net/http"

	"github.com/vms-project/vms/internal/accounts"
)

// recheckStreams ends the event streams of accounts that lost access since
// the stream opened (disabled from the shell, moved, must change a
// password): one account lookup per user holding streams, every
// Deps.RecheckViewers. It adds the users whose streams it ended to cut
// (those recheckViewers cut are ended already). Streams whose session
// ended are recheckSessions'.
func (s *Server) recheckStreams(ctx context.Context, cut map[int64]bool) {
	for _, p := range s.events.users() {
		if ctx.Err() != nil {
			return
		}
		if cut[p.UserID] {
			continue
		}
		err := s.d.Accounts.CheckViewer(ctx, p.UserID, p.Unit)
		switch accounts.StatusOf(err) {
		case http.StatusOK:
			continue
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
			id := p.UserID
			cut[id] = true
			n := s.events.endWhere(func(q accounts.Principal) bool { return q.UserID == id }, revokedReason)
			s.log.Info("event streams ended", "user_id", id, "streams", n, "reason", revokedReason)
		default:
			s.log.Warn("recheck event streams", "user_id", p.UserID, "err", err)
		}
	}
}

// endStreamsOnLogout ends the event streams and live views of a session
// once POST /api/v1/logout has ended it, without waiting for
// recheckSessions.
func (s *Server) endStreamsOnLogout(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/logout" {
			return
		}
		if p, ok := accounts.PrincipalFrom(r.Context()); ok && p.SessionID != 0 {
			s.cutSessions(map[int64]bool{p.SessionID: true}, "logged out")
		}
	})
}

// sessions returns the login sessions holding streams, each with its
// user, for recheckSessions.
func (b *broadcaster) sessions() map[int64]int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[int64]int64{}
	for s := range b.subs {
		out[s.p.SessionID] = s.p.UserID
	}
	return out
}
