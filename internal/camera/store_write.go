package camera

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Create validates and stores c (its ID and timestamps are ignored) and
// returns it as stored. Credentials in the URL move to Username/Password
// unless those are set. A second camera with the same name in the same unit
// is an ErrConflict: name+unit_code is what Import matches on.
func (s *Store) Create(ctx context.Context, c Camera) (Camera, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Camera{}, fmt.Errorf("camera: create: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if c, err = create(ctx, tx, c, time.Now()); err != nil {
		return Camera{}, err
	}
	if err := tx.Commit(); err != nil {
		return Camera{}, fmt.Errorf("camera: create: %w", err)
	}
	return c, nil
}

// Update applies p to camera id and returns the result. The read, the
// checks and the write share one transaction (BEGIN IMMEDIATE, see db.Open),
// so concurrent patches cannot interleave.
func (s *Store) Update(ctx context.Context, id int64, p Patch) (Camera, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Camera{}, fmt.Errorf("camera %d: update: %w", id, err)
	}
	defer func() { _ = tx.Rollback() }()
	c, err := get(ctx, tx, id)
	if err != nil {
		return Camera{}, err
	}
	if c, err = update(ctx, tx, p.Apply(c), time.Now()); err != nil {
		return Camera{}, err
	}
	if err := tx.Commit(); err != nil {
		return Camera{}, fmt.Errorf("camera %d: update: %w", id, err)
	}
	return c, nil
}

// Delete removes camera id, or returns an error wrapping ErrNotFound.
func (s *Store) Delete(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM cameras WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("camera %d: delete: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("camera %d: delete: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("camera %d: %w", id, ErrNotFound)
	}
	return nil
}

func create(ctx context.Context, tx *sql.Tx, c Camera, now time.Time) (Camera, error) {
	if err := prepare(ctx, tx, &c); err != nil {
		return Camera{}, err
	}
	c.CreatedAt = now.UTC().Truncate(time.Millisecond)
	c.UpdatedAt = c.CreatedAt
	res, err := tx.ExecContext(ctx, `INSERT INTO cameras (name, unit_code, rtsp_url, substream_url,
		username, password, transport, on_demand, tls_fingerprint, enabled, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Name, c.UnitCode, c.RTSPURL, c.SubstreamURL, c.Username, c.Password, c.Transport,
		c.OnDemand, c.TLSFingerprint, c.Enabled, c.CreatedAt.Format(timeLayout), c.UpdatedAt.Format(timeLayout))
	if err != nil {
		return Camera{}, fmt.Errorf("camera: insert %q: %w", c.Name, err)
	}
	if c.ID, err = res.LastInsertId(); err != nil {
		return Camera{}, fmt.Errorf("camera: insert %q: %w", c.Name, err)
	}
	return c, nil
}

func update(ctx context.Context, tx *sql.Tx, c Camera, now time.Time) (Camera, error) {
	if err := prepare(ctx, tx, &c); err != nil {
		return Camera{}, err
	}
	c.UpdatedAt = now.UTC().Truncate(time.Millisecond)
	_, err := tx.ExecContext(ctx, `UPDATE cameras SET name = ?, unit_code = ?, rtsp_url = ?,
		substream_url = ?, username = ?, password = ?, transport = ?, on_demand = ?,
		tls_fingerprint = ?, enabled = ?, updated_at = ? WHERE id = ?`,
		c.Name, c.UnitCode, c.RTSPURL, c.SubstreamURL, c.Username, c.Password, c.Transport,
		c.OnDemand, c.TLSFingerprint, c.Enabled, c.UpdatedAt.Format(timeLayout), c.ID)
	if err != nil {
		return Camera{}, fmt.Errorf("camera %d: update: %w", c.ID, err)
	}
	return c, nil
}

// prepare normalizes and validates c and checks that no other camera of the
// unit has its name. The schema has no unique index for this, so the check
// relies on running inside the write transaction.
func prepare(ctx context.Context, tx *sql.Tx, c *Camera) error {
	normalize(c)
	if err := c.Validate(); err != nil {
		return err
	}
	other, found, err := findByName(ctx, tx, c.UnitCode, c.Name)
	if err != nil {
		return err
	}
	if found && other.ID != c.ID {
		return fmt.Errorf("camera %q already exists in unit %q (id %d): %w", c.Name, c.UnitCode, other.ID, ErrConflict)
	}
	return nil
}
