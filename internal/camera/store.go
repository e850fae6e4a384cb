package camera

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Store keeps cameras in the SQLite table created by migration
// 0001_cameras.sql. Exported methods own their transaction; the unexported
// helpers take a querier so they run inside one.
type Store struct {
	db *sql.DB
}

// NewStore returns a Store on an opened, migrated database (db.Open).
func NewStore(db *sql.DB) *Store { return &Store{db: db} }

// DB is the database the store works on, for features kept beside it.
func (s *Store) DB() *sql.DB { return s.db }

// Filter narrows List. Zero values mean "any".
type Filter struct {
	UnitCode string
	Enabled  *bool
}

type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// timeLayout matches the strftime default in 0001_cameras.sql, so rows
// written by SQL and by Go read back alike.
const timeLayout = "2006-01-02T15:04:05.000Z"

const columns = `id, name, unit_code, rtsp_url, substream_url, username, password,
	transport, on_demand, tls_fingerprint, enabled, created_at, updated_at`

type scanner interface{ Scan(dest ...any) error }

func scanCamera(s scanner) (Camera, error) {
	var c Camera
	var created, updated string
	err := s.Scan(&c.ID, &c.Name, &c.UnitCode, &c.RTSPURL, &c.SubstreamURL, &c.Username, &c.Password,
		&c.Transport, &c.OnDemand, &c.TLSFingerprint, &c.Enabled, &created, &updated)
	if err != nil {
		return Camera{}, err
	}
	if c.CreatedAt, err = time.Parse(timeLayout, created); err != nil {
		return Camera{}, fmt.Errorf("camera %d: created_at: %w", c.ID, err)
	}
	if c.UpdatedAt, err = time.Parse(timeLayout, updated); err != nil {
		return Camera{}, fmt.Errorf("camera %d: updated_at: %w", c.ID, err)
	}
	return c, nil
}

// List returns the cameras matching f, ordered by unit, then name.
func (s *Store) List(ctx context.Context, f Filter) ([]Camera, error) {
	var where []string
	var args []any
	if f.UnitCode != "" {
		where = append(where, "unit_code = ?")
		args = append(args, f.UnitCode)
	}
	if f.Enabled != nil {
		where = append(where, "enabled = ?")
		args = append(args, *f.Enabled)
	}
	q := "SELECT " + columns + " FROM cameras"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY unit_code, name, id", args...)
	if err != nil {
		return nil, fmt.Errorf("camera: list: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []Camera
	for rows.Next() {
		c, err := scanCamera(rows)
		if err != nil {
			return nil, fmt.Errorf("camera: list: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("camera: list: %w", err)
	}
	return out, nil
}

// Get returns camera id, or an error wrapping ErrNotFound.
func (s *Store) Get(ctx context.Context, id int64) (Camera, error) {
	return get(ctx, s.db, id)
}

func get(ctx context.Context, q querier, id int64) (Camera, error) {
	c, err := scanCamera(q.QueryRowContext(ctx, "SELECT "+columns+" FROM cameras WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Camera{}, fmt.Errorf("camera %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Camera{}, fmt.Errorf("camera %d: get: %w", id, err)
	}
	return c, nil
}

// findByName returns the camera called name in unit, if any: the identity
// Import matches rows on.
func findByName(ctx context.Context, q querier, unit, name string) (Camera, bool, error) {
	name = normName(name) // names are stored in NFC
	c, err := scanCamera(q.QueryRowContext(ctx,
		"SELECT "+columns+" FROM cameras WHERE unit_code = ? AND name = ? ORDER BY id LIMIT 1", unit, name))
	if errors.Is(err, sql.ErrNoRows) {
		return Camera{}, false, nil
	}
	if err != nil {
		return Camera{}, false, fmt.Errorf("camera: find %q in unit %q: %w", name, unit, err)
	}
	return c, true, nil
}
