package accounts

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// CanView is the check for watching or listing a camera of unit unitCode,
// for the principal Middleware put in ctx (ActionCameraView). The WHEP
// handler calls it before answering an offer; an error wraps ErrNotFound,
// ErrForbidden or ErrUnauthenticated (see StatusOf).
func (s *Service) CanView(ctx context.Context, unitCode string) error {
	p, ok := PrincipalFrom(ctx)
	if !ok {
		return fmt.Errorf("accounts: view camera: %w", ErrUnauthenticated)
	}
	return Can(p, ActionCameraView, Resource{Unit: unitCode})
}

// StartLiveView audits that the principal in ctx started watching a
// camera, and returns the function to call when the viewer goes away; it
// audits the stop with the duration. stop is safe to call more than once
// and from any goroutine, and does not need ctx to be alive.
func (s *Service) StartLiveView(ctx context.Context, cameraID int64, unitCode string) (stop func()) {
	p, _ := PrincipalFrom(ctx)
	ctx = context.WithoutCancel(ctx)
	started := s.cfg.Now()
	e := Entry{Kind: KindLiveStart, UserID: p.UserID, Username: p.Username, UnitCode: unitCode,
		CameraID: cameraID, RemoteAddr: p.RemoteAddr, Detail: map[string]any{"session_id": p.SessionID}}
	s.record(ctx, e)
	var once sync.Once
	return func() {
		once.Do(func() {
			d := s.cfg.Now().Sub(started)
			e.Kind, e.At = KindLiveStop, time.Time{}
			e.Detail = map[string]any{"session_id": p.SessionID, "duration_seconds": d.Seconds()}
			s.record(ctx, e)
		})
	}
}
