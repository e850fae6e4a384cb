package server

import (
	"context"
	"net/http"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/relay"
)

// sessionEndedReason is what the audit log's live.stop and the relay's log
// say when a viewer is cut because the session it was opened with ended
// (logged out, expired, ended by a password change here or from the shell).
const sessionEndedReason = "session ended"

// recheckSessions ends every live view and event stream whose login
// session is no longer valid, whoever ended it: one accounts.CheckSession
// per distinct session, every Deps.RecheckViewers. An account check
// (recheckViewers, recheckStreams) cannot see this: `vms user passwd U
// --password P` ends U's sessions but leaves the account as it was. The
// sessions of users in cut, whom the account checks just cut with their
// own reason, are skipped.
func (s *Server) recheckSessions(ctx context.Context, cut map[int64]bool) {
	owner := s.events.sessions() // session → user
	for _, w := range s.d.LiveViews.current() {
		owner[w.session] = w.user
	}
	dead := map[int64]bool{}
	for id, user := range owner {
		if ctx.Err() != nil {
			return
		}
		if id == 0 || cut[user] {
			continue // no session (not a path the app has), or its user was just cut
		}
		err := s.d.Accounts.CheckSession(ctx, id)
		switch accounts.StatusOf(err) {
		case http.StatusOK:
		case http.StatusUnauthorized:
			dead[id] = true
		default:
			s.log.Warn("recheck sessions", "session_id", id, "err", err)
		}
	}
	if len(dead) > 0 {
		s.cutSessions(dead, sessionEndedReason)
	}
}

// cutSessions ends the event streams of the given sessions at once and
// their live views off the caller's goroutine.
func (s *Server) cutSessions(ids map[int64]bool, why string) {
	if n := s.events.endWhere(func(p accounts.Principal) bool { return ids[p.SessionID] }, why); n > 0 {
		s.log.Info("event streams ended", "sessions", len(ids), "streams", n, "reason", why)
	}
	s.bg.do(func() {
		n := s.d.Relay.Disconnect(func(_ int64, who relay.ViewerInfo) bool { return ids[who.SessionID] }, why)
		if n > 0 {
			s.log.Info("live viewers cut", "sessions", len(ids), "viewers", n, "reason", why)
		}
	})
}
