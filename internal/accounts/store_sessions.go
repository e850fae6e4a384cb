package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// sessionRow is a stored session joined with its user.
type sessionRow struct {
	id        int64
	createdAt time.Time
	lastSeen  time.Time
	expiresAt time.Time
	user      User
}

func insertSession(ctx context.Context, q querier, tokenHash []byte, userID int64, remote string, now, expires time.Time) (int64, error) {
	ts := formatTime(now)
	res, err := q.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, remote_addr, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, tokenHash, userID, remote, ts, ts, formatTime(expires))
	if err != nil {
		return 0, fmt.Errorf("accounts: create session: %w", err)
	}
	return res.LastInsertId()
}

func sessionByHash(ctx context.Context, q querier, tokenHash []byte) (sessionRow, error) {
	row := q.QueryRowContext(ctx, `SELECT s.id, s.created_at, s.last_seen_at, s.expires_at, u.id, u.username, u.display_name, u.role, u.unit_code,
		u.must_change_password, u.disabled, u.created_at, u.updated_at, u.last_login_at, u.password_hash
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, tokenHash)
	var s sessionRow
	var created, seen, expires string
	u, err := scanUser(func(dest ...any) error {
		return row.Scan(append([]any{&s.id, &created, &seen, &expires}, dest...)...)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return sessionRow{}, fmt.Errorf("accounts: session: %w", ErrUnauthenticated)
	}
	if err != nil {
		return sessionRow{}, fmt.Errorf("accounts: read session: %w", err)
	}
	s.user = u
	for _, p := range []struct {
		dst *time.Time
		src string
	}{{&s.createdAt, created}, {&s.lastSeen, seen}, {&s.expiresAt, expires}} {
		if *p.dst, err = parseTime(p.src); err != nil {
			return sessionRow{}, err
		}
	}
	return s, nil
}

func touchSession(ctx context.Context, q querier, id int64, now time.Time) error {
	if _, err := q.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, formatTime(now), id); err != nil {
		return fmt.Errorf("accounts: touch session: %w", err)
	}
	return nil
}

func deleteSession(ctx context.Context, q querier, id int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("accounts: delete session: %w", err)
	}
	return nil
}

// deleteUserSessions ends every session of userID except keep (0: none).
func deleteUserSessions(ctx context.Context, q querier, userID, keep int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keep); err != nil {
		return fmt.Errorf("accounts: end sessions of user %d: %w", userID, err)
	}
	return nil
}

// PurgeSessions deletes sessions past their absolute expiry or idle longer
// than idle, returning how many.
func (s *Store) PurgeSessions(ctx context.Context, now time.Time, idle time.Duration) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?`,
		formatTime(now), formatTime(now.Add(-idle)))
	if err != nil {
		return 0, fmt.Errorf("accounts: purge sessions: %w", err)
	}
	return res.RowsAffected()
}
