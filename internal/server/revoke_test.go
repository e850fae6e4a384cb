package server_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/db"
	"github.com/vms-project/vms/internal/whepclient"
)

// watching opens a viewer and waits until video flows to it.
func (a *app) watching(t *testing.T, camID int64, token string) *whepclient.Viewer {
	t.Helper()
	v, status := a.dial(camID, token)
	if status != http.StatusCreated {
		t.Fatalf("WHEP: %d", status)
	}
	t.Cleanup(v.Abandon)
	waitFor(t, "the first frame", 30*time.Second, func() bool { return v.Stats().FirstFrame > 0 })
	waitFor(t, "the relay to count the viewer", 10*time.Second, func() bool { return a.viewers(camID) == 1 })
	return v
}

// assertCut waits until the relay has dropped the viewer and no more video
// reaches it.
func (a *app) assertCut(t *testing.T, camID int64, v *whepclient.Viewer, since time.Time) {
	t.Helper()
	waitFor(t, "the relay to drop the viewer", 10*time.Second, func() bool { return a.viewers(camID) == 0 })
	t.Logf("viewer cut %s after the change", time.Since(since).Round(time.Millisecond))
	// Packets already in flight may still land; then nothing more.
	time.Sleep(500 * time.Millisecond)
	before := v.Stats().Packets
	time.Sleep(1500 * time.Millisecond)
	if after := v.Stats().Packets; after != before {
		t.Errorf("video still flows after the cut: %d → %d packets", before, after)
	}
	if s := v.State(); s == webrtc.PeerConnectionStateConnected {
		t.Logf("client peer connection still %s (it learns from ICE timeouts)", s)
	}
}

// TestDisabledUserIsCutOff: an admin disables an account through the API
// while it watches; the relay drops the viewer within seconds, its token
// stops working, and the audit log has the live view's start and stop with
// who, which camera, from where and for how long.
func TestDisabledUserIsCutOff(t *testing.T) {
	a := newApp(t, nil)
	root := a.token("admin", rootPassword)

	// A new account, created as an admin would, with its first-login change.
	created := a.do(req{method: "POST", path: "/api/v1/users", token: root,
		body: `{"username":"canbo-703","role":"district","unit_code":"703","password":"first password 1"}`})
	if created.status != http.StatusCreated {
		t.Fatalf("create user: %s", created)
	}
	var cu struct{ User accounts.User }
	mustJSON(t, created.body, &cu)
	tok := a.token("canbo-703", "first password 1")
	if got := a.do(req{method: "POST", path: "/api/v1/cameras/1/whep", token: tok}); got.status != http.StatusForbidden {
		t.Errorf("WHEP before the first password change: %s, want 403", got)
	}
	if got := a.do(req{method: "POST", path: "/api/v1/me/password", token: tok,
		body: `{"old_password":"first password 1","new_password":"second password 2"}`}); got.status != http.StatusNoContent {
		t.Fatalf("change password: %s", got)
	}

	cam := a.camByUnit["25456"] // a commune of the user's district
	v := a.watching(t, cam, tok)
	time.Sleep(300 * time.Millisecond) // a measurable duration

	disabledAt := time.Now()
	if got := a.do(req{method: "PATCH", path: fmt.Sprintf("/api/v1/users/%d", cu.User.ID), token: root,
		body: `{"disabled":true}`}); got.status != http.StatusOK {
		t.Fatalf("disable: %s", got)
	}
	a.assertCut(t, cam, v, disabledAt)
	if time.Since(disabledAt) > 8*time.Second {
		t.Errorf("cut took %s", time.Since(disabledAt))
	}

	if got := a.do(req{method: "GET", path: "/api/v1/cameras", token: tok}); got.status != http.StatusUnauthorized {
		t.Errorf("the disabled user's token: %s", got)
	}
	if _, status := a.dial(cam, tok); status != http.StatusUnauthorized {
		t.Errorf("the disabled user's WHEP: %d", status)
	}

	var start, stop accounts.Entry
	waitFor(t, "the live.stop audit row", 10*time.Second, func() bool {
		rows := a.auditRows(root, "user=canbo-703&kind=live")
		for _, e := range rows {
			switch e.Kind {
			case accounts.KindLiveStart:
				start = e
			case accounts.KindLiveStop:
				stop = e
			}
		}
		return len(rows) == 2 && stop.ID != 0 && start.ID != 0
	})
	for _, e := range []accounts.Entry{start, stop} {
		if e.UserID != cu.User.ID || e.Username != "canbo-703" || e.CameraID != cam || e.UnitCode != "25456" ||
			e.RemoteAddr != "127.0.0.1" || e.Detail["camera_name"] != "Quầy 25456" {
			t.Errorf("%s row: %+v", e.Kind, e)
		}
	}
	if d, _ := stop.Detail["duration_seconds"].(float64); d < 0.3 || d > 60 {
		t.Errorf("duration %v", stop.Detail["duration_seconds"])
	}
	if stop.Detail["reason"] != "account disabled or its access changed" {
		t.Errorf("stop reason %v", stop.Detail["reason"])
	}
	if rows := a.auditRows(root, "kind=user.update&user=admin"); len(rows) != 1 {
		t.Errorf("user.update rows by admin: %+v", rows)
	}
	if bad, err := a.acc.Audit().Verify(context.Background()); err != nil {
		t.Errorf("audit chain: row %d: %v", bad, err)
	}
}

// TestAccessLostElsewhereIsCutOff: changes the server's own hooks do not
// see are caught by Run's re-check: an account disabled from the shell
// (vms user disable, another process on the same database), and a camera
// moved by an admin out of a viewer's scope.
func TestAccessLostElsewhereIsCutOff(t *testing.T) {
	a := newApp(t, nil)
	root := a.token("admin", rootPassword)

	t.Run("vms user disable", func(t *testing.T) {
		tok := a.token("demo-police", "demo-police-pass")
		cam := a.camByUnit["703"]
		v := a.watching(t, cam, tok)
		ctx := context.Background()
		otherDB, err := db.Open(ctx, a.dbPath)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = otherDB.Close() }()
		cli, err := accounts.New(ctx, accounts.Config{Hash: cheapHash}, otherDB, testLog())
		if err != nil {
			t.Fatal(err)
		}
		at := time.Now()
		if _, err := cli.SetDisabledAsSystem(ctx, "demo-police", true); err != nil {
			t.Fatal(err)
		}
		a.assertCut(t, cam, v, at)
	})

	t.Run("camera moved out of scope", func(t *testing.T) {
		tok := a.token("demo-commune", "demo-commune-pass")
		cam := a.camByUnit["25456"]
		v := a.watching(t, cam, tok)
		at := time.Now()
		if got := a.do(req{method: "PATCH", path: fmt.Sprintf("/api/v1/cameras/%d", cam), token: root,
			body: `{"unit_code":"25459"}`}); got.status != http.StatusOK {
			t.Fatalf("move: %s", got)
		}
		a.assertCut(t, cam, v, at)
		if _, status := a.dial(cam, tok); status != http.StatusNotFound {
			t.Errorf("WHEP after the move: %d, want 404", status)
		}
		if rows := a.auditRows(root, fmt.Sprintf("kind=camera.update&camera=%d", cam)); len(rows) != 1 || rows[0].UnitCode != "25459" {
			t.Errorf("camera.update rows: %+v", rows)
		}
	})
}
