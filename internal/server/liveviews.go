package server

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/relay"
)

// auditTimeout bounds an audit write made from a relay hook, outside any
// request.
const auditTimeout = 5 * time.Second

// LiveViews connects the relay's viewer hooks to the accounts service: it
// writes a live.start and a live.stop audit row per viewer (who, camera,
// address, duration, why it ended) and remembers who watches which camera
// through which login session, so that the server can cut viewers whose
// account lost access or whose session ended. Build the relay with its
// Hooks and hand the same LiveViews to New.
type LiveViews struct {
	acc *accounts.Service
	log *slog.Logger

	mu       sync.Mutex
	watching map[watch]int // open viewers per user, session and camera
}

// watch is one user watching one camera through one login session.
type watch struct{ user, session, camera int64 }

// NewLiveViews returns the hooks' owner; acc is where rows are written.
func NewLiveViews(acc *accounts.Service, log *slog.Logger) *LiveViews {
	return &LiveViews{acc: acc, log: log.With("component", "liveviews"), watching: map[watch]int{}}
}

// Hooks are the relay.Hooks to pass to relay.New.
func (l *LiveViews) Hooks() relay.Hooks {
	return relay.Hooks{OnViewStart: l.started, OnViewStop: l.stopped}
}

func (l *LiveViews) started(cam relay.CameraConfig, who relay.ViewerInfo) {
	l.mu.Lock()
	l.watching[watch{who.UserID, who.SessionID, cam.ID}]++
	l.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), auditTimeout)
	defer cancel()
	l.acc.RecordLiveStart(ctx, liveView(cam, who))
}

func (l *LiveViews) stopped(cam relay.CameraConfig, who relay.ViewerInfo, watched time.Duration, reason string) {
	w := watch{who.UserID, who.SessionID, cam.ID}
	l.mu.Lock()
	if l.watching[w]--; l.watching[w] <= 0 {
		delete(l.watching, w)
	}
	l.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), auditTimeout)
	defer cancel()
	l.acc.RecordLiveStop(ctx, liveView(cam, who), watched, reason)
}

func liveView(cam relay.CameraConfig, who relay.ViewerInfo) accounts.LiveView {
	return accounts.LiveView{UserID: who.UserID, Username: who.Username, RemoteAddr: who.RemoteAddr,
		CameraID: cam.ID, CameraName: cam.Name, UnitCode: cam.UnitCode}
}

// current lists who watches what now, by user, camera then session.
func (l *LiveViews) current() []watch {
	l.mu.Lock()
	out := make([]watch, 0, len(l.watching))
	for w := range l.watching {
		out = append(out, w)
	}
	l.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].user != out[j].user {
			return out[i].user < out[j].user
		}
		if out[i].camera != out[j].camera {
			return out[i].camera < out[j].camera
		}
		return out[i].session < out[j].session
	})
	return out
}
