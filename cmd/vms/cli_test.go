package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/db"
)

// cli runs the vms command line against the database at VMS_DATABASE_PATH.
func cli(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	return out.String(), err
}

// freshDB points the commands at a new database seeded as the first start
// of the server would (units and the bootstrap admin).
func freshDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vms.db")
	t.Setenv("VMS_DATABASE_PATH", path)
	t.Setenv("VMS_LOG_LEVEL", "error")
	withService(t, path, func(svc *accounts.Service) {
		if err := svc.EnsureBootstrap(context.Background(), "bootstrap password", &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
	})
	return path
}

func withService(t *testing.T, path string, fn func(*accounts.Service)) {
	t.Helper()
	ctx := context.Background()
	sqlDB, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sqlDB.Close() }()
	svc, err := accounts.New(ctx, accounts.Config{}, sqlDB, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	fn(svc)
}

func login(t *testing.T, path, user, password string) error {
	t.Helper()
	var err error
	withService(t, path, func(svc *accounts.Service) {
		_, err = svc.Login(context.Background(), user, password, "192.0.2.1:1")
	})
	return err
}

var passwordLine = regexp.MustCompile(`password: (\S+)`)

func TestUserCommands(t *testing.T) {
	path := freshDB(t)

	if _, err := cli(t, "user", "add", "--username", "ops", "--role", "admin", "--unit", "72", "--password", "chosen by ops 1"); err != nil {
		t.Fatal(err)
	}
	if err := login(t, path, "ops", "chosen by ops 1"); err != nil {
		t.Errorf("login with the chosen password: %v", err)
	}

	out, err := cli(t, "user", "add", "--username", "cb-p1", "--role", "police", "--unit", "25456", "--name", "Công an Phường 1")
	if err != nil {
		t.Fatal(err)
	}
	m := passwordLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no generated password printed: %q", out)
	}
	if err := login(t, path, "cb-p1", m[1]); err != nil {
		t.Errorf("login with the generated password: %v", err)
	}

	// Flags after the user name work too.
	if _, err := cli(t, "user", "passwd", "ops", "--password", "new ops password"); err != nil {
		t.Fatal(err)
	}
	if err := login(t, path, "ops", "new ops password"); err != nil {
		t.Errorf("login after passwd: %v", err)
	}
	out, err = cli(t, "user", "passwd", "ops")
	if err != nil {
		t.Fatal(err)
	}
	if m := passwordLine.FindStringSubmatch(out); m == nil || login(t, path, "ops", m[1]) != nil {
		t.Errorf("generated passwd: %q", out)
	}

	if _, err := cli(t, "user", "disable", "ops"); err != nil {
		t.Fatal(err)
	}
	if err := login(t, path, "ops", "anything at all"); err == nil {
		t.Error("a disabled account logged in")
	}
	if _, err := cli(t, "user", "enable", "ops"); err != nil {
		t.Fatal(err)
	}

	for _, bad := range [][]string{
		{"user"},
		{"user", "add", "--username", "x1", "--role", "admin"},
		{"user", "add", "--username", "x1", "--role", "commune", "--unit", "703"},
		{"user", "add", "--username", "x1", "--role", "admin", "--unit", "99999"},
		{"user", "add", "--username", "ops", "--role", "admin", "--unit", "72"},
		{"user", "passwd"},
		{"user", "passwd", "nobody"},
		{"user", "passwd", "ops", "--password", "short"},
		{"user", "disable", "nobody"},
		{"user", "frobnicate", "ops"},
	} {
		if _, err := cli(t, bad...); err == nil {
			t.Errorf("%q succeeded", bad)
		}
	}

	out, err = cli(t, "audit", "verify")
	if err != nil || !strings.HasPrefix(out, "OK: ") {
		t.Errorf("audit verify: %q, %v", out, err)
	}
}

func TestUserAddNeedsUnits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vms.db")
	t.Setenv("VMS_DATABASE_PATH", path)
	t.Setenv("VMS_LOG_LEVEL", "error")
	sqlDB, err := db.Open(context.Background(), path) // migrated, no units yet
	if err != nil {
		t.Fatal(err)
	}
	_ = sqlDB.Close()
	_, err = cli(t, "user", "add", "--username", "ops", "--role", "admin", "--unit", "72")
	if err == nil || !strings.Contains(err.Error(), "no units") {
		t.Errorf("err = %v", err)
	}
}

// TestShellCommandsNeedTheDatabase: run where there is no database (the
// wrong directory), the shell commands fail and create nothing.
func TestShellCommandsNeedTheDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "vms.db")
	t.Setenv("VMS_DATABASE_PATH", path)
	t.Setenv("VMS_LOG_LEVEL", "error")
	for _, args := range [][]string{
		{"audit", "verify"},
		{"user", "disable", "admin"},
		{"user", "add", "--username", "ops", "--role", "admin", "--unit", "72"},
	} {
		if _, err := cli(t, args...); err == nil || !strings.Contains(err.Error(), "no database at") {
			t.Errorf("%q: err = %v, want no database", args, err)
		}
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a database was created at %s (%v)", path, err)
	}
}

func TestAuditVerifyFindsTampering(t *testing.T) {
	path := freshDB(t)
	if _, err := cli(t, "user", "disable", "admin"); err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sqlDB.Close() }()
	for _, q := range []string{`DROP TRIGGER audit_log_no_update`, `UPDATE audit_log SET username = 'someone' WHERE id = 2`} {
		if _, err := sqlDB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	out, err := cli(t, "audit", "verify")
	var tampered errAuditTampered
	if !errors.As(err, &tampered) || tampered.firstBad != 2 || !strings.Contains(out, "first altered or deleted row: 2") {
		t.Errorf("out %q, err %v", out, err)
	}
}

func TestImportUnits(t *testing.T) {
	path := freshDB(t)
	file := filepath.Join(t.TempDir(), "units.csv")
	if err := os.WriteFile(file, []byte("code,name,level,kind,parent_code\n99001,Xã Thử,commune,Xã,705\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := cli(t, "import", "units", file)
	if err != nil || !strings.Contains(out, "1 units created") {
		t.Fatalf("%q, %v", out, err)
	}
	withService(t, path, func(svc *accounts.Service) {
		if !svc.Tree().Contains("705", "99001") {
			t.Error("unit not stored")
		}
	})
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("code,name,level,kind,parent_code\n99002,X,commune,Xã,nope\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := cli(t, "import", "units", bad); err == nil || !strings.Contains(err.Error(), "nothing was changed") {
		t.Errorf("bad file: %v", err)
	}
}

// TestImportUnitsBeforeFirstStart: another province's units may be loaded
// into a new database; the built-in seed then stays out.
func TestImportUnitsBeforeFirstStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vms.db")
	t.Setenv("VMS_DATABASE_PATH", path)
	t.Setenv("VMS_LOG_LEVEL", "error")
	file := filepath.Join(t.TempDir(), "units.csv")
	csv := "code,name,level,kind,parent_code\n80,Tỉnh Thử,province,Tỉnh,\n80001,Xã Một,commune,Xã,80\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := cli(t, "import", "units", file); err != nil || !strings.Contains(out, "2 units created") {
		t.Fatalf("%q, %v", out, err)
	}
	withService(t, path, func(svc *accounts.Service) {
		if !svc.Tree().Contains("80", "80001") {
			t.Error("imported units not stored")
		}
	})
}

// TestAuditVerifySinceHead: rows cut from the end of the log leave a
// valid chain; the head an earlier verify printed, given with --since,
// catches it.
func TestAuditVerifySinceHead(t *testing.T) {
	path := freshDB(t)
	for _, u := range []string{"a1", "a2"} {
		if _, err := cli(t, "user", "add", "--username", u, "--role", "admin", "--unit", "72"); err != nil {
			t.Fatal(err)
		}
	}
	out, err := cli(t, "audit", "verify")
	if err != nil {
		t.Fatal(err)
	}
	_, after, _ := strings.Cut(out, "--since ")
	head := strings.TrimSuffix(strings.TrimSpace(after), ")")
	if out, err := cli(t, "audit", "verify", "--since", head); err != nil {
		t.Fatalf("untouched log: %q, %v", out, err)
	}
	id, _, _ := strings.Cut(head, ":")
	sqlDB, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sqlDB.Close() }()
	for _, q := range []string{`DROP TRIGGER audit_log_no_delete`, `DELETE FROM audit_log WHERE id = ` + id,
		`UPDATE sqlite_sequence SET seq = seq - 1 WHERE name = 'audit_log'`} {
		if _, err := sqlDB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := cli(t, "audit", "verify"); err != nil {
		t.Logf("without --since the cut is invisible to the chain; got %q, %v", out, err)
	}
	out, err = cli(t, "audit", "verify", "--since", head)
	var tampered errAuditTampered
	if !errors.As(err, &tampered) || !strings.Contains(out, "gone") {
		t.Errorf("cut log with --since: out %q, err %v", out, err)
	}
	if _, err := cli(t, "audit", "verify", "--since", "x"); err == nil {
		t.Error("--since x accepted")
	}
}
