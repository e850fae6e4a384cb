package db

import (
	"context"
	"path/filepath"
	"testing"
)

func TestOpenMigratesFromZeroAndIsIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "vms.db")
	for i := range 2 {
		sqlDB, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("open #%d: %v", i, err)
		}
		list, err := migrations()
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := sqlDB.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != len(list) {
			t.Fatalf("open #%d: %d migrations recorded, want %d", i, n, len(list))
		}
		var mode string
		if err := sqlDB.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Fatalf("journal_mode = %q (%v), want wal", mode, err)
		}
		var fk int
		if err := sqlDB.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
			t.Fatalf("foreign_keys = %d (%v), want 1", fk, err)
		}
		_ = sqlDB.Close()
	}
}
