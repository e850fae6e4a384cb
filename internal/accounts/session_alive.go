package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// CheckSession reports whether session id (Principal.SessionID) is still
// valid, judged on the database as it is now: nil, or an error wrapping
// ErrUnauthenticated: ErrSessionEnded (logged out, ended by a password
// change or from the shell, purged), ErrSessionExpired (past its absolute
// or idle timeout; the session is deleted and audited as Authenticate
// does) or ErrAccountDisabled. The server calls it now and then for every
// session holding a live view or an event stream, so that they end with
// the session whoever ended it. Such a session is in use: a successful
// check refreshes its last use like a request would (at most once a
// minute), so watching keeps it from idling out; the absolute timeout
// still ends it.
func (s *Service) CheckSession(ctx context.Context, id int64) error {
	if id == 0 {
		return fmt.Errorf("accounts: session 0: %w", ErrSessionEnded)
	}
	var seenS, expiresS string
	var userID int64
	var username, unit string
	var disabled bool
	err := s.store.db.QueryRowContext(ctx, `SELECT s.last_seen_at, s.expires_at, u.id, u.username, u.unit_code, u.disabled
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`, id).
		Scan(&seenS, &expiresS, &userID, &username, &unit, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("accounts: session %d: %w", id, ErrSessionEnded)
	}
	if err != nil {
		return fmt.Errorf("accounts: read session %d: %w", id, err)
	}
	lastSeen, err := parseTime(seenS)
	if err != nil {
		return err
	}
	expires, err := parseTime(expiresS)
	if err != nil {
		return err
	}
	now := s.cfg.Now()
	switch reason := s.expiry(now, lastSeen, expires); {
	case disabled:
		return fmt.Errorf("accounts: session %d: %w", id, ErrAccountDisabled)
	case reason != "":
		if err := deleteSession(ctx, s.store.db, id); err != nil {
			return err
		}
		s.record(ctx, Entry{Kind: KindSessionExpired, UserID: userID, Username: username, UnitCode: unit,
			Detail: map[string]any{"session_id": id, "reason": reason}})
		return fmt.Errorf("accounts: session %d: %w", id, ErrSessionExpired)
	case now.Sub(lastSeen) >= touchEvery:
		return touchSession(ctx, s.store.db, id, now)
	}
	return nil
}

// expiry says why a session last used at lastSeen and expiring at expires
// is over at now ("absolute" or "idle"), or "" if it is not.
func (s *Service) expiry(now, lastSeen, expires time.Time) string {
	switch {
	case !now.Before(expires):
		return "absolute"
	case now.Sub(lastSeen) >= s.cfg.IdleTimeout:
		return "idle"
	}
	return ""
}
