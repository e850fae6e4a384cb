package accounts

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Store is the SQL for units, users and sessions on the database opened by
// db.Open. Exported methods own their transaction; unexported helpers take a
// querier so they run inside the caller's.
type Store struct {
	db *sql.DB
}

// NewStore wraps a database migrated by db.Open.
func NewStore(sqlDB *sql.DB) *Store { return &Store{db: sqlDB} }

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inTx runs fn in one write transaction (the DSN asks for BEGIN IMMEDIATE),
// committing if fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("accounts: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("accounts: commit: %w", err)
	}
	return nil
}

// timeLayout is how times are stored: UTC, fixed width, so text order is
// time order. It matches SQLite's strftime('%Y-%m-%dT%H:%M:%fZ').
const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("accounts: stored time %q: %w", s, err)
	}
	return t, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
