package accounts

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vms-project/vms/internal/db"
)

func TestEnsureBootstrapGeneratesOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "vms.db")
	var printed string
	for i := range 2 {
		sqlDB, err := db.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		svc, err := New(ctx, Config{Hash: cheapHash}, sqlDB, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := svc.EnsureBootstrap(ctx, "", &out); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			printed = regexp.MustCompile(`password (\S+)`).FindStringSubmatch(out.String())[1]
			if svc.Tree().Len() != 104 {
				t.Fatalf("seed: %d units", svc.Tree().Len())
			}
		} else if out.Len() != 0 {
			t.Fatalf("second start printed %q", out.String())
		}
		sess, err := svc.Login(ctx, "admin", printed, "192.0.2.1:1")
		if err != nil || !sess.User.MustChangePassword || sess.User.UnitCode != "72" || sess.User.Role != RoleAdmin {
			t.Fatalf("start %d: login %+v, %v", i, sess.User, err)
		}
		_ = sqlDB.Close()
	}
}

func TestEnsureBootstrapRejectsWeakPassword(t *testing.T) {
	ctx := context.Background()
	sqlDB, err := db.Open(ctx, filepath.Join(t.TempDir(), "vms.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sqlDB.Close() }()
	svc, err := New(ctx, Config{Hash: cheapHash}, sqlDB, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.EnsureBootstrap(ctx, "short", io.Discard); err == nil || !strings.Contains(err.Error(), "VMS_ADMIN_PASSWORD") {
		t.Fatalf("weak password: %v", err)
	}
}

func TestDemoAccounts(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	var out bytes.Buffer
	for range 2 { // idempotent
		out.Reset()
		if err := f.svc.DemoAccounts(ctx, &out); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]struct {
		role Role
		unit string
	}{
		"demo-admin": {RoleAdmin, "72"}, "demo-province": {RoleProvince, "72"}, "demo-district": {RoleDistrict, "703"},
		"demo-police": {RolePolice, "703"}, "demo-commune": {RoleCommune, "25456"},
	}
	for name, w := range want {
		if !strings.Contains(out.String(), name) {
			t.Errorf("%s not printed", name)
		}
		p := f.login(t, name, name+"-pass")
		if p.Role != w.role || p.Unit != w.unit || p.MustChangePassword {
			t.Errorf("%s = %+v", name, p)
		}
	}
}
