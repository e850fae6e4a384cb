package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// LiveView is one viewer of one camera as the relay reports it, outside
// any request: who (the user id and name, the client address) and what
// (the camera and its unit).
type LiveView struct {
	UserID     int64
	Username   string
	RemoteAddr string
	CameraID   int64
	CameraName string
	UnitCode   string
}

// RecordLiveStart audits that v started watching. Unlike StartLiveView it
// needs no principal in ctx, so a relay hook can call it.
func (s *Service) RecordLiveStart(ctx context.Context, v LiveView) {
	s.record(ctx, v.entry(KindLiveStart, map[string]any{"camera_name": v.CameraName}))
}

// RecordLiveStop audits that v stopped watching after watched, and why
// (the viewer left, the account was disabled, the camera was removed …).
func (s *Service) RecordLiveStop(ctx context.Context, v LiveView, watched time.Duration, reason string) {
	s.record(ctx, v.entry(KindLiveStop, map[string]any{
		"camera_name": v.CameraName, "duration_seconds": watched.Seconds(), "reason": reason,
	}))
}

func (v LiveView) entry(kind string, detail map[string]any) Entry {
	return Entry{Kind: kind, UserID: v.UserID, Username: v.Username, UnitCode: v.UnitCode,
		CameraID: v.CameraID, RemoteAddr: v.RemoteAddr, Detail: detail}
}

// CheckViewer reports whether user userID may still watch cameras of unit
// unitCode, judged on the account as stored now (not on a session): nil,
// or an error wrapping ErrUnauthenticated (the account is gone or
// disabled), ErrForbidden (it must change a generated password) or
// ErrNotFound (the unit is outside its current scope). The server calls it
// now and then for every live viewer, so that a change made by another
// process (vms user disable) also ends the video.
func (s *Service) CheckViewer(ctx context.Context, userID int64, unitCode string) error {
	u, err := s.store.UserByID(ctx, userID)
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("accounts: viewer %d: %w", userID, ErrUnauthenticated)
	}
	if err != nil {
		return err
	}
	if u.Disabled {
		return fmt.Errorf("accounts: viewer %d: %w", userID, ErrAccountDisabled)
	}
	p := Principal{UserID: u.ID, Username: u.Username, Role: u.Role, Unit: u.UnitCode,
		MustChangePassword: u.MustChangePassword, Tree: s.Tree()}
	return Can(p, ActionCameraView, Resource{Unit: unitCode})
}
