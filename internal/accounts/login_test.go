package accounts

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestLogin(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.createUser(t, "cam-viewer", RoleDistrict, "703")
	disabled := f.createUser(t, "gone", RolePolice, "703")
	if _, _, err := f.svc.UpdateUser(ctx, f.admin, disabled.UserID, UserPatch{Disabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, user, password string
		want                 error
		kind, reason         string
	}{
		{"success", "cam-viewer", "cam-viewer-password", nil, KindLoginSuccess, ""},
		{"username is case-insensitive", " CAM-Viewer ", "cam-viewer-password", nil, KindLoginSuccess, ""},
		{"wrong password", "cam-viewer", "wrong password!", ErrInvalidCredentials, KindLoginFailure, "bad_credentials"},
		{"unknown user", "nobody", "wrong password!", ErrInvalidCredentials, KindLoginFailure, "bad_credentials"},
		{"disabled, right password", "gone", "gone-password", ErrAccountDisabled, KindLoginFailure, "disabled"},
		{"disabled, wrong password", "gone", "nope nope nope", ErrInvalidCredentials, KindLoginFailure, "bad_credentials"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sess, err := f.svc.Login(ctx, c.user, c.password, "198.51.100.7:1234")
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("Login = %v, want %v", err, c.want)
			}
			if c.want != nil && !errors.Is(err, ErrUnauthenticated) {
				t.Fatalf("login failure %v should be ErrUnauthenticated", err)
			}
			if c.want == nil && (len(sess.Token) != 43 || sess.CSRFToken == "") {
				t.Fatalf("token %q (len %d), csrf %q", sess.Token, len(sess.Token), sess.CSRFToken)
			}
			e := f.lastAudit(t)
			if e.Kind != c.kind || e.RemoteAddr != "198.51.100.7" || c.reason != "" && e.Detail["reason"] != c.reason {
				t.Fatalf("audit row = %+v, want kind %s reason %q", e, c.kind, c.reason)
			}
		})
	}
	// The same error for unknown and wrong: identical text too.
	_, errUnknown := f.svc.Login(ctx, "nobody2", "whatever-123", "192.0.2.99:1")
	_, errWrong := f.svc.Login(ctx, "cam-viewer", "whatever-123", "192.0.2.99:1")
	if errUnknown.Error() != errWrong.Error() {
		t.Fatalf("unknown %q vs wrong %q", errUnknown, errWrong)
	}
}

func TestSessionTokenStoredHashed(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	sess, err := f.svc.Login(ctx, "admin", adminPassword, "192.0.2.1:1")
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := f.db.QueryRow(`SELECT COUNT(*) FROM sessions WHERE token_hash = ? OR CAST(token_hash AS TEXT) = ?`,
		[]byte(sess.Token), sess.Token).Scan(&n); err != nil || n != 0 {
		t.Fatalf("raw token found in sessions (%d, %v)", n, err)
	}
	if err := f.db.QueryRow(`SELECT COUNT(*) FROM sessions WHERE token_hash = ?`, hashToken(sess.Token)).Scan(&n); err != nil || n != 1 {
		t.Fatalf("hashed token not found (%d, %v)", n, err)
	}
}

func TestSessionExpiry(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		steps  []time.Duration // advance, then authenticate
		reason string
	}{
		{"idle", []time.Duration{59 * time.Minute, 61 * time.Minute}, "idle"},
		{"absolute despite activity", stepsOf(14, 55*time.Minute), "absolute"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			sess, err := f.svc.Login(ctx, "admin", adminPassword, "192.0.2.1:1")
			if err != nil {
				t.Fatal(err)
			}
			var last error
			for _, d := range c.steps {
				f.clock.Advance(d)
				_, last = f.svc.Authenticate(ctx, sess.Token)
				if last != nil {
					break
				}
			}
			if !errors.Is(last, ErrSessionExpired) {
				t.Fatalf("Authenticate after %v = %v, want ErrSessionExpired", c.steps, last)
			}
			if e := f.lastAudit(t); e.Kind != KindSessionExpired || e.Detail["reason"] != c.reason {
				t.Fatalf("audit = %+v", e)
			}
			if _, err := f.svc.Authenticate(ctx, sess.Token); !errors.Is(err, ErrUnauthenticated) {
				t.Fatalf("expired token works again: %v", err)
			}
		})
	}
}

func stepsOf(n int, d time.Duration) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}

func TestRateLimit(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.createUser(t, "target", RoleProvince, "72")
	for i := range 5 {
		if _, err := f.svc.Login(ctx, "target", "bad guess "+string(rune('a'+i)), "203.0.113.5:1"); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	if e := f.lastAudit(t); e.Kind != KindLoginLocked || e.Detail["scope"] != "username" {
		t.Fatalf("audit after 5th failure = %+v, want login.locked", e)
	}
	// Locked: even the right password is refused, from any address.
	_, err := f.svc.Login(ctx, "target", "target-password", "192.0.2.200:1")
	var rl *RateLimitError
	if !errors.As(err, &rl) || !errors.Is(err, ErrRateLimited) || rl.RetryAfter <= 0 || rl.RetryAfter > time.Minute {
		t.Fatalf("locked login = %v, want RateLimitError ≤ 1m", err)
	}
	// The delay grows: after the lock passes, one more failure locks for 2 min.
	f.clock.Advance(time.Minute)
	if _, err := f.svc.Login(ctx, "target", "still wrong", "203.0.113.5:1"); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatal(err)
	}
	_, err = f.svc.Login(ctx, "target", "target-password", "192.0.2.200:1")
	if !errors.As(err, &rl) || rl.RetryAfter <= time.Minute {
		t.Fatalf("second lock = %v, want > 1m", err)
	}
	// Once it passes, the right password works and resets the count.
	f.clock.Advance(2 * time.Minute)
	if _, err := f.svc.Login(ctx, "target", "target-password", "192.0.2.200:1"); err != nil {
		t.Fatalf("after lockout: %v", err)
	}
	if _, err := f.svc.Login(ctx, "target", "wrong again", "192.0.2.200:1"); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("count not reset: %v", err)
	}
}

func TestRateLimitPerAddress(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	// A spray of names from one address locks the address, not the names.
	for i := range 20 {
		_, err := f.svc.Login(ctx, "user"+string(rune('a'+i)), "guess-guess", "203.0.113.9:1")
		if !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	if _, err := f.svc.Login(ctx, "admin", adminPassword, "203.0.113.9:2"); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("address not locked: %v", err)
	}
	if _, err := f.svc.Login(ctx, "admin", adminPassword, "192.0.2.1:1"); err != nil {
		t.Fatalf("other address locked too: %v", err)
	}
}

func TestLogout(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	sess, err := f.svc.Login(ctx, "admin", adminPassword, "192.0.2.1:1")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Logout(ctx, sess.Token, "192.0.2.1:1"); err != nil {
		t.Fatal(err)
	}
	if e := f.lastAudit(t); e.Kind != KindLogout || e.Username != "admin" {
		t.Fatalf("audit = %+v", e)
	}
	if _, err := f.svc.Authenticate(ctx, sess.Token); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("token works after logout: %v", err)
	}
	if err := f.svc.Logout(ctx, sess.Token, ""); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("second logout = %v", err)
	}
}

func TestDisableCutsSessionsAndNotifies(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	viewer := f.createUser(t, "watcher", RolePolice, "703")
	sess, err := f.svc.Login(ctx, "watcher", "watcher-password", "192.0.2.1:1")
	if err != nil {
		t.Fatal(err)
	}
	var notified []int64
	f.svc.OnUserDisabled(func(id int64) { notified = append(notified, id) })
	if _, _, err := f.svc.UpdateUser(ctx, f.admin, viewer.UserID, UserPatch{Disabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(notified, []int64{viewer.UserID}) {
		t.Fatalf("notified %v, want [%d]", notified, viewer.UserID)
	}
	if _, err := f.svc.Authenticate(ctx, sess.Token); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("disabled user's session still works: %v", err)
	}
	e := f.lastAudit(t)
	changes, _ := e.Detail["changes"].(map[string]any)
	if e.Kind != KindUserUpdate || changes["disabled"] == nil || e.Username != "admin" {
		t.Fatalf("audit = %+v", e)
	}
	// Admins cannot disable themselves.
	if _, _, err := f.svc.UpdateUser(ctx, f.admin, f.admin.UserID, UserPatch{Disabled: ptr(true)}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("self-disable = %v", err)
	}
}

func TestChangePassword(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	u, generated, err := f.svc.CreateUser(ctx, f.admin, NewUser{Username: "newbie", Role: RoleCommune, UnitCode: "25459"})
	if err != nil || generated == "" || !u.MustChangePassword {
		t.Fatalf("create: %v %q %+v", err, generated, u)
	}
	p := f.login(t, "newbie", generated)
	if !p.MustChangePassword {
		t.Fatal("generated password should force a change")
	}
	if err := Can(p, ActionCameraView, Resource{Unit: "25459"}); !errors.Is(err, ErrPasswordChangeRequired) {
		t.Fatalf("Can before change = %v", err)
	}
	cases := []struct {
		name, old, new, field string
	}{
		{"wrong old", "not it at all", "a much better one", "old_password"},
		{"too short", generated, "short", "new_password"},
		{"same", generated, generated, "new_password"},
		{"username", generated, "newbie", "new_password"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := f.svc.ChangePassword(ctx, p, c.old, c.new)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != c.field {
				t.Fatalf("ChangePassword = %v, want field %s", err, c.field)
			}
		})
	}
	if err := f.svc.ChangePassword(ctx, p, generated, "a much better one"); err != nil {
		t.Fatal(err)
	}
	p = f.login(t, "newbie", "a much better one")
	if p.MustChangePassword {
		t.Fatal("flag not cleared")
	}
	if err := Can(p, ActionCameraView, Resource{Unit: "25459"}); err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }
