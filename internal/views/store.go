package views

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vms-project/vms/internal/httpx"
)

// Store keeps views in the table of migration 0003_views.sql.
type Store struct {
	db  *sql.DB
	now func() time.Time
}

// NewStore returns a Store on an opened, migrated database.
func NewStore(db *sql.DB) *Store { return &Store{db: db, now: time.Now} }

const timeLayout = "2006-01-02T15:04:05.000Z"

const columns = `id, user_id, name, layout, cells, created_at, updated_at`

type scanner interface{ Scan(dest ...any) error }

func scanView(s scanner) (View, error) {
	var v View
	var cells, created, updated string
	if err := s.Scan(&v.ID, &v.UserID, &v.Name, &v.Layout, &cells, &created, &updated); err != nil {
		return View{}, err
	}
	if err := json.Unmarshal([]byte(cells), &v.Cells); err != nil {
		return View{}, fmt.Errorf("view %d: cells: %w", v.ID, err)
	}
	var err error
	if v.CreatedAt, err = time.Parse(timeLayout, created); err != nil {
		return View{}, fmt.Errorf("view %d: created_at: %w", v.ID, err)
	}
	if v.UpdatedAt, err = time.Parse(timeLayout, updated); err != nil {
		return View{}, fmt.Errorf("view %d: updated_at: %w", v.ID, err)
	}
	return v, nil
}

// List returns a user's views by name.
func (s *Store) List(ctx context.Context, userID int64) ([]View, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+columns+` FROM views WHERE user_id = ? ORDER BY name, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("views: list user %d: %w", userID, err)
	}
	defer func() { _ = rows.Close() }()
	out := []View{}
	for rows.Next() {
		v, err := scanView(rows)
		if err != nil {
			return nil, fmt.Errorf("views: list user %d: %w", userID, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("views: list user %d: %w", userID, err)
	}
	return out, nil
}

// Get returns a user's view; another user's view is ErrNotFound like a
// missing one.
func (s *Store) Get(ctx context.Context, userID, id int64) (View, error) {
	v, err := scanView(s.db.QueryRowContext(ctx, `SELECT `+columns+` FROM views WHERE id = ? AND user_id = ?`, id, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return View{}, fmt.Errorf("view %d: %w", id, httpx.ErrNotFound)
	}
	if err != nil {
		return View{}, fmt.Errorf("views: get %d: %w", id, err)
	}
	return v, nil
}

// Create stores a new view for v.UserID; a name the user already uses is
// a conflict.
func (s *Store) Create(ctx context.Context, v View) (View, error) {
	cells, err := json.Marshal(nonNil(v.Cells))
	if err != nil {
		return View{}, fmt.Errorf("views: create: %w", err)
	}
	now := s.now().UTC().Format(timeLayout)
	res, err := s.db.ExecContext(ctx, `INSERT INTO views (user_id, name, layout, cells, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, v.UserID, v.Name, v.Layout, string(cells), now, now)
	if err != nil {
		return View{}, writeErr(v.Name, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return View{}, fmt.Errorf("views: create: %w", err)
	}
	return s.Get(ctx, v.UserID, id)
}

// Update replaces the name, layout and cells of the user's view v.ID.
func (s *Store) Update(ctx context.Context, v View) (View, error) {
	cells, err := json.Marshal(nonNil(v.Cells))
	if err != nil {
		return View{}, fmt.Errorf("views: update: %w", err)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE views SET name = ?, layout = ?, cells = ?, updated_at = ?
		WHERE id = ? AND user_id = ?`, v.Name, v.Layout, string(cells), s.now().UTC().Format(timeLayout), v.ID, v.UserID)
	if err != nil {
		return View{}, writeErr(v.Name, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return View{}, fmt.Errorf("views: update %d: %w", v.ID, err)
	} else if n == 0 {
		return View{}, fmt.Errorf("view %d: %w", v.ID, httpx.ErrNotFound)
	}
	return s.Get(ctx, v.UserID, v.ID)
}

// Delete removes the user's view id.
func (s *Store) Delete(ctx context.Context, userID, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM views WHERE id = ? AND user_id = ?`, id, userID)
	if err != nil {
		return fmt.Errorf("views: delete %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("views: delete %d: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("view %d: %w", id, httpx.ErrNotFound)
	}
	return nil
}

func nonNil(c []*int64) []*int64 {
	if c == nil {
		return []*int64{}
	}
	return c
}

// writeErr maps the unique (user_id, name) constraint to a conflict on
// "name".
func writeErr(name string, err error) error {
	if strings.Contains(err.Error(), "UNIQUE constraint failed: views.user_id, views.name") {
		return &conflictError{name: name}
	}
	return fmt.Errorf("views: write: %w", err)
}

type conflictError struct{ name string }

func (e *conflictError) Error() string {
	return fmt.Sprintf("name: you already have a view named %q", e.name)
}
func (e *conflictError) Unwrap() error      { return httpx.ErrConflict }
func (e *conflictError) ErrorField() string { return "name" }
