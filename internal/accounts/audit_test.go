package accounts

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// newAuditFixture writes ten rows and returns the fixture.
func newAuditFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	for i := range 10 {
		if err := f.svc.Audit().Record(context.Background(), Entry{Kind: KindLiveStart, Username: "u", UnitCode: "703",
			CameraID: int64(i + 1), Detail: map[string]any{"n": i}}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func TestAuditVerify(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		tamper []string // SQL run with the guard triggers dropped
		bad    func(f *fixture) int64
	}{
		{"intact", nil, func(*fixture) int64 { return 0 }},
		{"update of a row", []string{`UPDATE audit_log SET username = 'someone-else' WHERE id = 5`},
			func(*fixture) int64 { return 5 }},
		{"update of detail", []string{`UPDATE audit_log SET detail = '{"n":99}' WHERE id = 7`},
			func(*fixture) int64 { return 7 }},
		{"delete of a middle row", []string{`DELETE FROM audit_log WHERE id = 6`},
			func(*fixture) int64 { return 6 }},
		{"delete of the first row", []string{`DELETE FROM audit_log WHERE id = 1`},
			func(*fixture) int64 { return 1 }},
		{"delete of the last row", []string{`DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)`},
			func(f *fixture) int64 { id, _, _ := f.svc.Audit().Head(ctx); return id + 1 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newAuditFixture(t)
			if bad, err := f.svc.Audit().Verify(ctx); bad != 0 || err != nil {
				t.Fatalf("fresh log: Verify = %d, %v", bad, err)
			}
			for _, q := range append([]string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}, c.tamper...) {
				if _, err := f.db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			want := c.bad(f) // after tampering: Head moves when the last row goes
			bad, err := f.svc.Audit().Verify(ctx)
			if bad != want || (want == 0) != (err == nil) || want != 0 && !errors.Is(err, ErrAuditTampered) {
				t.Fatalf("Verify = %d, %v; want %d", bad, err, want)
			}
		})
	}
}

func TestAuditRecomputedHashIsCaught(t *testing.T) {
	ctx := context.Background()
	f := newAuditFixture(t)
	if _, err := f.db.Exec(`DROP TRIGGER audit_log_no_update`); err != nil {
		t.Fatal(err)
	}
	// Rewrite row 4 and fix up its own hash: row 5 no longer chains to it.
	r := auditRow{}
	if err := f.db.QueryRow(`SELECT id, at, kind, COALESCE(user_id,0), username, unit_code, COALESCE(camera_id,0),
		remote_addr, detail, prev_hash FROM audit_log WHERE id = 4`).Scan(&r.id, &r.at, &r.kind, &r.userID, &r.username,
		&r.unit, &r.cameraID, &r.remote, &r.detail, &r.prevHash); err != nil {
		t.Fatal(err)
	}
	r.username = "forged"
	if _, err := f.db.Exec(`UPDATE audit_log SET username = ?, hash = ? WHERE id = 4`, r.username, r.computeHash()); err != nil {
		t.Fatal(err)
	}
	if bad, err := f.svc.Audit().Verify(ctx); bad != 4 || !errors.Is(err, ErrAuditTampered) {
		t.Fatalf("Verify = %d, %v; want 4", bad, err)
	}
}

func TestAuditAppendOnly(t *testing.T) {
	f := newAuditFixture(t)
	for _, q := range []string{`UPDATE audit_log SET kind = 'x' WHERE id = 1`, `DELETE FROM audit_log WHERE id = 1`} {
		if _, err := f.db.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refusal", q, err)
		}
	}
}

func TestAuditRedacts(t *testing.T) {
	f := newFixture(t)
	err := f.svc.Audit().Record(context.Background(), Entry{Kind: KindCameraUpdate, Detail: map[string]any{
		"password": "hunter22", "rtsp_password": "x", "api_token": "t", "Client_Secret": "s", "credentials": []any{"a"},
		"changes":              map[string]any{"password": map[string]any{"old": "a", "new": "b"}, "name": map[string]any{"old": "A", "new": "B"}},
		"list":                 []any{map[string]any{"secret": "s"}},
		"must_change_password": true,
	}})
	if err != nil {
		t.Fatal(err)
	}
	e := f.lastAudit(t)
	for _, k := range []string{"password", "rtsp_password", "api_token", "Client_Secret", "credentials"} {
		if e.Detail[k] != redacted {
			t.Errorf("%s = %v, want ***", k, e.Detail[k])
		}
	}
	changes := e.Detail["changes"].(map[string]any)
	if changes["password"] != redacted || changes["name"].(map[string]any)["new"] != "B" {
		t.Errorf("changes = %v", changes)
	}
	if e.Detail["list"].([]any)[0].(map[string]any)["secret"] != redacted {
		t.Errorf("list = %v", e.Detail["list"])
	}
	if e.Detail["must_change_password"] != true {
		t.Errorf("boolean flag redacted: %v", e.Detail)
	}
}

func TestAuditScopeAndFilters(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	rows := []Entry{
		{Kind: KindLiveStart, Username: "a", UnitCode: "25459", CameraID: 3},
		{Kind: KindLiveStop, Username: "a", UnitCode: "25459", CameraID: 3},
		{Kind: KindLiveStart, Username: "b", UnitCode: "25501", CameraID: 4},
		{Kind: KindLoginFailure, Username: "ghost"}, // no unit
	}
	for _, e := range rows {
		if err := f.svc.Audit().Record(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	districtAdmin := f.createUser(t, "it-703", RoleAdmin, "703")
	police := f.createUser(t, "police-703", RolePolice, "703")
	cases := []struct {
		name  string
		p     Principal
		q     AuditQuery
		want  int // rows with kind live.*
		ghost bool
		err   error
	}{
		{"root admin sees all", f.admin, AuditQuery{Kind: "live"}, 3, false, nil},
		{"root admin sees unitless rows", f.admin, AuditQuery{User: "ghost"}, 0, true, nil},
		{"district admin sees own district", districtAdmin, AuditQuery{Kind: "live"}, 2, false, nil},
		{"district admin no unitless rows", districtAdmin, AuditQuery{User: "ghost"}, 0, false, nil},
		{"by camera", f.admin, AuditQuery{CameraID: 4}, 1, false, nil},
		{"by unit subtree", f.admin, AuditQuery{Unit: "705", Kind: "live"}, 1, false, nil},
		{"exact kind", f.admin, AuditQuery{Kind: KindLiveStop}, 1, false, nil},
		{"district admin asks another district", districtAdmin, AuditQuery{Unit: "705"}, 0, false, ErrNotFound},
		{"police may not read", police, AuditQuery{}, 0, false, ErrForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := f.svc.ListAudit(ctx, c.p, c.q)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("ListAudit = %v, want %v", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			live, ghost := 0, false
			for _, e := range got {
				if strings.HasPrefix(e.Kind, "live.") {
					live++
				}
				ghost = ghost || e.Username == "ghost"
			}
			if live != c.want || ghost != c.ghost {
				t.Fatalf("live rows %d (want %d), ghost %v (want %v): %+v", live, c.want, ghost, c.ghost, got)
			}
		})
	}
	// Time range: everything so far is at the fixture's fixed clock.
	now := f.clock.Now()
	if got, _ := f.svc.ListAudit(ctx, f.admin, AuditQuery{From: now.Add(time.Millisecond)}); len(got) != 0 {
		t.Errorf("from after now: %d rows", len(got))
	}
	if got, _ := f.svc.ListAudit(ctx, f.admin, AuditQuery{To: now.Add(time.Millisecond), Kind: "live"}); len(got) != 3 {
		t.Errorf("to after now: %d rows", len(got))
	}
}

func TestLiveViewAudit(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	p := f.createUser(t, "viewer", RolePolice, "703")
	p.RemoteAddr = "192.0.2.44"
	rctx := WithPrincipal(ctx, p)
	if err := f.svc.CanView(rctx, "25459"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.CanView(rctx, "25501"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("other district: %v", err)
	}
	if err := f.svc.CanView(ctx, "25459"); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("no principal: %v", err)
	}
	cctx, cancel := context.WithCancel(rctx)
	stop := f.svc.StartLiveView(cctx, 12, "25459")
	cancel() // the request is long gone when the viewer leaves
	f.clock.Advance(90 * time.Second)
	stop()
	stop()
	got, err := f.svc.Audit().List(ctx, AuditFilter{CameraID: 12})
	if err != nil || len(got) != 2 {
		t.Fatalf("live rows = %v, %v", got, err)
	}
	if got[0].Kind != KindLiveStop || got[0].Detail["duration_seconds"] != 90.0 || got[0].RemoteAddr != "192.0.2.44" ||
		got[1].Kind != KindLiveStart || got[1].Username != "viewer" {
		t.Fatalf("rows = %+v", got)
	}
}

func TestAuditConcurrentAppendsKeepTheChain(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				if err := f.svc.Audit().Record(ctx, Entry{Kind: KindLiveStart, CameraID: int64(g*100 + i + 1)}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if bad, err := f.svc.Audit().Verify(ctx); bad != 0 || err != nil {
		t.Fatalf("Verify = %d, %v", bad, err)
	}
	if got, _ := f.svc.Audit().List(ctx, AuditFilter{Kind: KindLiveStart}); len(got) != 160 {
		t.Fatalf("%d rows, want 160", len(got))
	}
}
