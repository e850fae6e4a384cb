package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/db"
	"github.com/vms-project/vms/internal/whepclient"
)

// shellAccounts is what `vms user …` builds: another accounts service on
// another connection to the same database file, whose hooks the server
// never hears.
func (a *app) shellAccounts(t *testing.T) *accounts.Service {
	t.Helper()
	ctx := context.Background()
	otherDB, err := db.Open(ctx, a.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = otherDB.Close() })
	cli, err := accounts.New(ctx, accounts.Config{Hash: cheapHash}, otherDB, testLog())
	if err != nil {
		t.Fatal(err)
	}
	return cli
}

// liveStopReasons returns the reasons of a user's live.stop rows, newest
// first.
func (a *app) liveStopReasons(root, user string) []any {
	a.t.Helper()
	var out []any
	for _, e := range a.auditRows(root, "kind="+accounts.KindLiveStop+"&user="+user) {
		out = append(out, e.Detail["reason"])
	}
	return out
}

// assertFlows fails unless video still reaches v.
func assertFlows(t *testing.T, what string, v *whepclient.Viewer) {
	t.Helper()
	before := v.Stats().Packets
	waitFor(t, what, 10*time.Second, func() bool { return v.Stats().Packets > before })
}

// TestShellPasswdCutsSessionViews: `vms user passwd U --password P` ends
// U's sessions from another process and leaves the account usable (no
// forced change), so no account check notices. The session's live video
// and its event stream still end within seconds; a new login with the new
// password watches again.
func TestShellPasswdCutsSessionViews(t *testing.T) {
	a := newApp(t, nil)
	root := a.token("admin", rootPassword)
	tok := a.token("demo-police", "demo-police-pass")
	cam := a.camByUnit["703"]
	v := a.watching(t, cam, tok)
	s := a.events(tok)

	at := time.Now()
	if generated, err := a.shellAccounts(t).SetPasswordAsSystem(context.Background(), "demo-police", "a new police password 7"); err != nil || generated != "" {
		t.Fatalf("SetPasswordAsSystem: %q, %v", generated, err)
	}
	if got := a.do(req{method: "GET", path: "/api/v1/me", token: tok}); got.status != http.StatusUnauthorized {
		t.Errorf("old token on /api/v1/me: %s", got)
	}
	a.assertCut(t, cam, v, at)
	s.waitEnded("the ended session's event stream")
	if d := time.Since(at); d > 30*time.Second {
		t.Errorf("cut took %s", d)
	}
	waitFor(t, "the live.stop row", 10*time.Second, func() bool { return len(a.liveStopReasons(root, "demo-police")) == 1 })
	if r := a.liveStopReasons(root, "demo-police"); r[0] != "session ended" {
		t.Errorf("live.stop reason %v", r)
	}

	again := a.token("demo-police", "a new police password 7")
	v2 := a.watching(t, cam, again)
	time.Sleep(time.Second) // several re-checks
	assertFlows(t, "video on the new session", v2)
}

// TestLogoutCutsOnlyThatSession: one user watches the same camera from two
// sessions; logging out of A ends A's viewer and event stream, B's keep
// running through later re-checks.
func TestLogoutCutsOnlyThatSession(t *testing.T) {
	a := newApp(t, nil)
	root := a.token("admin", rootPassword)
	cam := a.camByUnit["25456"]
	tokA := a.token("demo-commune", "demo-commune-pass")
	tokB := a.token("demo-commune", "demo-commune-pass")
	vA := a.watching(t, cam, tokA)
	vB, status := a.dial(cam, tokB)
	if status != http.StatusCreated {
		t.Fatalf("WHEP B: %d", status)
	}
	t.Cleanup(vB.Abandon)
	waitFor(t, "B's first frame", 30*time.Second, func() bool { return vB.Stats().FirstFrame > 0 })
	waitFor(t, "two viewers", 10*time.Second, func() bool { return a.viewers(cam) == 2 })
	sA, sB := a.events(tokA), a.events(tokB)

	if got := a.do(req{method: "POST", path: "/api/v1/logout", token: tokA}); got.status/100 != 2 {
		t.Fatalf("logout A: %s", got)
	}
	waitFor(t, "A's viewer to go", 10*time.Second, func() bool { return a.viewers(cam) == 1 })
	sA.waitEnded("A's event stream")
	time.Sleep(time.Second) // several re-checks
	if n := a.viewers(cam); n != 1 {
		t.Fatalf("viewers after A's logout: %d, want B's alone", n)
	}
	assertFlows(t, "video to B", vB)
	before := vA.Stats().Packets
	time.Sleep(time.Second)
	if after := vA.Stats().Packets; after != before {
		t.Errorf("video still reaches A: %d → %d packets", before, after)
	}
	select {
	case <-sB.ended:
		t.Error("B's event stream ended too")
	default:
	}
	if r := a.liveStopReasons(root, "demo-commune"); len(r) != 1 || r[0] != "logged out" {
		t.Errorf("live.stop reasons %v, want one \"logged out\"", r)
	}

	// Ended by another process (e.g. a purge or the shell) rather than
	// this server's logout handler: the re-check finds it.
	if err := a.shellAccounts(t).Logout(context.Background(), tokB, ""); err != nil {
		t.Fatal(err)
	}
	a.assertCut(t, cam, vB, time.Now())
	sB.waitEnded("B's event stream")
}

// TestExpiredSessionIsCutOff: a session that reaches its timeout while its
// user watches ends the video and the event stream, audited as
// session.expired and a live.stop "session ended".
func TestExpiredSessionIsCutOff(t *testing.T) {
	const lifetime = 8 * time.Second
	a := newAppAccounts(t, accounts.Config{Hash: cheapHash, IdleTimeout: lifetime, AbsoluteTimeout: lifetime}, nil)
	loggedIn := time.Now()
	tok := a.token("demo-district", "demo-district-pass")
	cam := a.camByUnit["703"]
	v := a.watching(t, cam, tok)
	s := a.events(tok)
	if time.Since(loggedIn) > lifetime/2 {
		t.Skipf("the first frame took %s; too slow to see the session expire while watching", time.Since(loggedIn))
	}
	waitFor(t, "the viewer to be cut", 30*time.Second, func() bool { return a.viewers(cam) == 0 })
	if d := time.Since(loggedIn); d < lifetime {
		t.Errorf("cut after %s, before the session's %s lifetime", d, lifetime)
	}
	a.assertCut(t, cam, v, loggedIn.Add(lifetime))
	s.waitEnded("the expired session's event stream")

	root := a.token("admin", rootPassword)
	if rows := a.auditRows(root, "kind="+accounts.KindSessionExpired+"&user=demo-district"); len(rows) != 1 {
		t.Errorf("session.expired rows: %+v", rows)
	}
	waitFor(t, "the live.stop row", 10*time.Second, func() bool { return len(a.liveStopReasons(root, "demo-district")) == 1 })
	if r := a.liveStopReasons(root, "demo-district"); r[0] != "session ended" {
		t.Errorf("live.stop reason %v", r)
	}
}
