package accounts

import (
	"context"
	"errors"
	"testing"
)

// TestCheckSession: a session is alive until it is logged out, ended by a
// password change (own, of another session, or from the shell), expires,
// or its account is disabled; checking a session in use keeps it from
// idling out, but not past its absolute expiry.
func TestCheckSession(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	open := func(t *testing.T, name string) (Principal, Session) {
		t.Helper()
		sess, err := f.svc.Login(ctx, name, name+"-password", "192.0.2.10:5000")
		if err != nil {
			t.Fatal(err)
		}
		p, err := f.svc.Authenticate(ctx, sess.Token)
		if err != nil {
			t.Fatal(err)
		}
		return p, sess
	}
	f.createUser(t, "alice", RoleCommune, "25456")

	tests := []struct {
		name string
		end  func(t *testing.T, p Principal, sess Session)
		want error
	}{
		{"still valid", func(*testing.T, Principal, Session) {}, nil},
		{"logged out", func(t *testing.T, _ Principal, sess Session) {
			if err := f.svc.Logout(ctx, sess.Token, ""); err != nil {
				t.Fatal(err)
			}
		}, ErrSessionEnded},
		{"password set from the shell, explicit password", func(t *testing.T, _ Principal, _ Session) {
			if _, err := f.svc.SetPasswordAsSystem(ctx, "alice", "alice-password"); err != nil {
				t.Fatal(err)
			}
		}, ErrSessionEnded},
		{"password changed from another session", func(t *testing.T, _ Principal, _ Session) {
			other, _ := open(t, "alice")
			if err := f.svc.ChangePassword(ctx, other, "alice-password", "alice-password-2"); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.SetPasswordAsSystem(ctx, "alice", "alice-password"); err != nil { // back, for the next cases
				t.Fatal(err)
			}
		}, ErrSessionEnded},
		{"absolute expiry", func(*testing.T, Principal, Session) {
			f.clock.Advance(DefaultConfig().AbsoluteTimeout)
		}, ErrSessionExpired},
		{"idle expiry", func(*testing.T, Principal, Session) {
			f.clock.Advance(DefaultConfig().IdleTimeout)
		}, ErrSessionExpired},
		{"account disabled in the database", func(t *testing.T, p Principal, _ Session) {
			if _, err := f.db.Exec(`UPDATE users SET disabled = 1 WHERE id = ?`, p.UserID); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _, _ = f.db.Exec(`UPDATE users SET disabled = 0 WHERE id = ?`, p.UserID) })
		}, ErrAccountDisabled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, sess := open(t, "alice")
			tt.end(t, p, sess)
			err := f.svc.CheckSession(ctx, p.SessionID)
			if !errors.Is(err, tt.want) || tt.want == nil && err != nil {
				t.Fatalf("CheckSession: %v, want %v", err, tt.want)
			}
			if tt.want != nil && !errors.Is(err, ErrUnauthenticated) {
				t.Errorf("%v does not wrap ErrUnauthenticated", err)
			}
		})
	}
	t.Run("in use keeps it from idling out, not past absolute expiry", func(t *testing.T) {
		p, _ := open(t, "alice")
		idle, abs := DefaultConfig().IdleTimeout, DefaultConfig().AbsoluteTimeout
		step := idle / 2
		for at := step; at < abs-step; at += step {
			f.clock.Advance(step)
			if err := f.svc.CheckSession(ctx, p.SessionID); err != nil {
				t.Fatalf("after %s in use: %v", at, err)
			}
		}
		f.clock.Advance(2 * step)
		if err := f.svc.CheckSession(ctx, p.SessionID); !errors.Is(err, ErrSessionExpired) {
			t.Fatalf("past the absolute timeout: %v", err)
		}
		if e := f.lastAudit(t); e.Kind != KindSessionExpired || e.Detail["reason"] != "absolute" {
			t.Errorf("last audit row %s %v, want session.expired absolute", e.Kind, e.Detail)
		}
		if err := f.svc.CheckSession(ctx, 0); !errors.Is(err, ErrSessionEnded) {
			t.Errorf("session 0: %v", err)
		}
	})
}
