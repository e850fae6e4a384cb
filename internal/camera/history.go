package camera

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// StateChange is one row of a camera's state history: the relay's state
// ("connecting", "online", "offline" …) and its reason, from when on.
type StateChange struct {
	CameraID int64
	At       time.Time
	State    string
	Reason   string
}

// History limits.
const (
	DefaultHistory = 100
	MaxHistory     = 1000
	// KeepHistory is how many rows per camera RecordStates keeps.
	KeepHistory = 1000
)

// RecordStates appends changes in one transaction and prunes each camera
// concerned to its newest keep rows. A change of a camera deleted
// meanwhile is skipped.
func (s *Store) RecordStates(ctx context.Context, changes []StateChange, keep int) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("camera states: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	touched := map[int64]bool{}
	for _, c := range changes {
		// INSERT … SELECT skips a camera that no longer exists instead of
		// failing the batch on the foreign key.
		if _, err := tx.ExecContext(ctx, `INSERT INTO camera_states (camera_id, at, state, reason)
			SELECT id, ?, ?, ? FROM cameras WHERE id = ?`,
			c.At.UTC().Format(timeLayout), c.State, c.Reason, c.CameraID); err != nil {
			return fmt.Errorf("camera %d: record state: %w", c.CameraID, err)
		}
		touched[c.CameraID] = true
	}
	for id := range touched {
		if err := pruneStates(ctx, tx, id, keep); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("camera states: commit: %w", err)
	}
	return nil
}

func pruneStates(ctx context.Context, tx *sql.Tx, id int64, keep int) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM camera_states WHERE camera_id = ? AND id <=
		(SELECT id FROM camera_states WHERE camera_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`, id, id, keep)
	if err != nil {
		return fmt.Errorf("camera %d: prune states: %w", id, err)
	}
	return nil
}

// History returns a camera's newest limit state changes, newest first.
func (s *Store) History(ctx context.Context, id int64, limit int) ([]StateChange, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT at, state, reason FROM camera_states
		WHERE camera_id = ? ORDER BY id DESC LIMIT ?`, id, limit)
	if err != nil {
		return nil, fmt.Errorf("camera %d: history: %w", id, err)
	}
	defer func() { _ = rows.Close() }()
	out := []StateChange{}
	for rows.Next() {
		c := StateChange{CameraID: id}
		var at string
		if err := rows.Scan(&at, &c.State, &c.Reason); err != nil {
			return nil, fmt.Errorf("camera %d: history: %w", id, err)
		}
		if c.At, err = time.Parse(timeLayout, at); err != nil {
			return nil, fmt.Errorf("camera %d: history: at: %w", id, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("camera %d: history: %w", id, err)
	}
	return out, nil
}
