package accounts

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/db"
)

// testClock is a settable clock shared by the service and the test.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// cheapHash keeps tests fast; production parameters are benchmarked.
var cheapHash = HashParams{MemoryKiB: 64, Time: 1, Threads: 1}

const adminPassword = "correct horse battery"

type fixture struct {
	svc   *Service
	db    *sql.DB
	clock *testClock
	admin Principal // bootstrap admin, bound to 72
}

// newFixture opens a fresh database, seeds it and logs the admin in.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	sqlDB, err := db.Open(ctx, filepath.Join(t.TempDir(), "vms.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sqlDB.Close() })
	clock := &testClock{t: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)}
	cfg := Config{Hash: cheapHash, Now: clock.Now}
	svc, err := New(ctx, cfg, sqlDB, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.EnsureBootstrap(ctx, adminPassword, io.Discard); err != nil {
		t.Fatal(err)
	}
	f := &fixture{svc: svc, db: sqlDB, clock: clock}
	f.admin = f.login(t, "admin", adminPassword)
	return f
}

// login logs in and returns the authenticated principal.
func (f *fixture) login(t testing.TB, user, password string) Principal {
	t.Helper()
	ctx := context.Background()
	sess, err := f.svc.Login(ctx, user, password, "192.0.2.10:5000")
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	p, err := f.svc.Authenticate(ctx, sess.Token)
	if err != nil {
		t.Fatalf("authenticate %s: %v", user, err)
	}
	return p
}

// createUser creates an account with a known password and no forced change.
func (f *fixture) createUser(t *testing.T, name string, role Role, unit string) Principal {
	t.Helper()
	ctx := context.Background()
	if _, err := f.svc.createSystemUser(ctx, name, name, role, unit, name+"-password", false); err != nil {
		t.Fatal(err)
	}
	return f.login(t, name, name+"-password")
}

// auditKinds returns the kinds of every audit row, oldest first.
func (f *fixture) auditKinds(t *testing.T) []string {
	t.Helper()
	entries, err := f.svc.Audit().List(context.Background(), AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := make([]string, len(entries))
	for i, e := range entries {
		kinds[len(entries)-1-i] = e.Kind
	}
	return kinds
}

// lastAudit returns the newest audit row.
func (f *fixture) lastAudit(t *testing.T) Entry {
	t.Helper()
	entries, err := f.svc.Audit().List(context.Background(), AuditFilter{Limit: 1})
	if err != nil || len(entries) == 0 {
		t.Fatalf("last audit row: %v (%d rows)", err, len(entries))
	}
	return entries[0]
}

// count returns SELECT COUNT(*) FROM table.
func (f *fixture) count(t testing.TB, table string) int {
	t.Helper()
	var n int
	if err := f.db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// seedTree parses the embedded seed.
func seedTree(t testing.TB) *Tree {
	t.Helper()
	units, err := ParseUnitsCSV(bytes.NewReader(seedUnitsCSV))
	if err != nil {
		t.Fatal(err)
	}
	tree, err := NewTree(units)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
