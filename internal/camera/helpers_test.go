package camera

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vms-project/vms/internal/db"
)

// newStore opens a fresh migrated SQLite file in t.TempDir().
func newStore(t testing.TB) (*Store, *sql.DB) {
	t.Helper()
	sqlDB, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "vms.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sqlDB.Close() })
	return NewStore(sqlDB), sqlDB
}

// dump renders the whole cameras table, to assert that a failed operation
// changed nothing.
func dump(t testing.TB, sqlDB *sql.DB) string {
	t.Helper()
	rows, err := sqlDB.Query(`SELECT ` + columns + ` FROM cameras ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	var b strings.Builder
	for rows.Next() {
		c, err := scanCamera(rows)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d|%s|%s|%s|%s|%s|%s|%s|%t|%s|%t|%s|%s\n", c.ID, c.Name, c.UnitCode, c.RTSPURL,
			c.SubstreamURL, c.Username, c.Password, c.Transport, c.OnDemand, c.TLSFingerprint, c.Enabled,
			c.CreatedAt.Format(timeLayout), c.UpdatedAt.Format(timeLayout))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func mustCreate(t testing.TB, s *Store, c Camera) Camera {
	t.Helper()
	got, err := s.Create(context.Background(), c)
	if err != nil {
		t.Fatalf("create %s: %v", c.Name, err)
	}
	return got
}

func ptr[T any](v T) *T { return &v }
