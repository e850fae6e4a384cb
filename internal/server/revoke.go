package server

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/camera"
	"github.com/vms-project/vms/internal/relay"
)

// DefaultRecheckViewers is how often live viewers' access is re-checked
// when Deps.RecheckViewers is zero.
const DefaultRecheckViewers = 5 * time.Second

// revokedReason is what the audit log and the relay's log say when a
// viewer is cut because its account lost access.
const revokedReason = "account disabled or its access changed"

// Run does the server's background work until ctx ends and returns nil
// then, after the disconnects it started have finished: every
// Deps.RecheckViewers it re-checks the session each live viewer and event
// stream was opened with (accounts.CheckSession) and each viewer's account
// (accounts.CheckViewer) against the database, so that a change no hook
// announced in this process (vms user passwd or disable, run from the
// shell; a logout, a password change or an expiry) still ends the video.
// Serve runs it; run it yourself only around Handler.
func (s *Server) Run(ctx context.Context) error {
	defer s.bg.close()
	var own sync.WaitGroup
	defer own.Wait()
	own.Go(func() { s.events.run(ctx) })
	if s.d.States != nil {
		own.Go(func() { s.d.States.run(ctx) })
	}
	t := time.NewTicker(s.recheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			cut := s.recheckViewers(ctx)
			s.recheckStreams(ctx, cut)
			s.recheckSessions(ctx, cut)
		}
	}
}

// cutUser ends every live view of a user, off the caller's goroutine (the
// accounts hook must not block).
func (s *Server) cutUser(userID int64) {
	s.events.endWhere(func(p accounts.Principal) bool { return p.UserID == userID }, revokedReason)
	s.bg.do(func() {
		if n := s.d.Relay.DisconnectUser(userID, revokedReason); n > 0 {
			s.log.Info("live viewers cut", "user_id", userID, "viewers", n, "reason", revokedReason)
		}
	})
}

// recheckViewers cuts every live view its viewer may no longer watch: a
// disabled account loses all its views, a camera moved out of a user's
// scope only that camera's. It returns the users it cut entirely.
func (s *Server) recheckViewers(ctx context.Context) map[int64]bool {
	units := map[int64]string{}
	cut := map[int64]bool{}
	type view struct{ user, camera int64 }
	lost, checked := map[view]bool{}, map[view]bool{}
	for _, w := range s.d.LiveViews.current() {
		if ctx.Err() != nil {
			return cut
		}
		if cut[w.user] || checked[view{w.user, w.camera}] {
			continue // one check per user and camera, whatever the sessions
		}
		checked[view{w.user, w.camera}] = true
		unit, ok := units[w.camera]
		if !ok {
			c, err := s.d.Cameras.Get(ctx, w.camera)
			if errors.Is(err, camera.ErrNotFound) {
				continue // deleted: the relay has already dropped its viewers
			}
			if err != nil {
				s.log.Warn("recheck viewers", "camera", w.camera, "err", err)
				continue
			}
			unit, units[w.camera] = c.UnitCode, c.UnitCode
		}
		err := s.d.Accounts.CheckViewer(ctx, w.user, unit)
		switch accounts.StatusOf(err) {
		case http.StatusOK:
		case http.StatusUnauthorized:
			// The account itself is gone or disabled.
			cut[w.user] = true
			s.cutUser(w.user)
		case http.StatusForbidden, http.StatusNotFound:
			lost[view{w.user, w.camera}] = true
		default:
			s.log.Warn("recheck viewers", "user_id", w.user, "err", err)
		}
	}
	if len(lost) == 0 {
		return cut
	}
	s.bg.do(func() {
		n := s.d.Relay.Disconnect(func(cam int64, who relay.ViewerInfo) bool {
			return lost[view{who.UserID, cam}]
		}, revokedReason)
		if n > 0 {
			s.log.Info("live viewers cut", "viewers", n, "reason", revokedReason)
		}
	})
	return cut
}

// tasks runs short jobs in goroutines it waits for; after close it runs
// none (the relay is about to drop every viewer anyway).
type tasks struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

func (t *tasks) do(fn func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.closed {
		t.wg.Go(fn)
	}
}

func (t *tasks) close() {
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
	t.wg.Wait()
}
