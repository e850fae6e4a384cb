package accounts

import (
	"context"
	"fmt"
	"time"
)

// touchEvery limits last_seen writes to one per session per minute.
const touchEvery = time.Minute

// Authenticate returns the principal of a session token. It fails with an
// error wrapping ErrUnauthenticated when the token is unknown, the session
// passed its idle or absolute timeout (ErrSessionExpired; the session is
// deleted and audited), or the account is disabled (ErrAccountDisabled; a
// disabled account's sessions stop working at once).
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, error) {
	if token == "" || len(token) > maxTokenLen {
		return Principal{}, fmt.Errorf("accounts: authenticate: %w", ErrUnauthenticated)
	}
	row, err := sessionByHash(ctx, s.store.db, hashToken(token))
	if err != nil {
		return Principal{}, err
	}
	now := s.cfg.Now()
	u := row.user
	switch {
	case u.Disabled:
		if err := deleteSession(ctx, s.store.db, row.id); err != nil {
			return Principal{}, err
		}
		return Principal{}, ErrAccountDisabled
	case s.expiry(now, row.lastSeen, row.expiresAt) != "":
		if err := deleteSession(ctx, s.store.db, row.id); err != nil {
			return Principal{}, err
		}
		reason := s.expiry(now, row.lastSeen, row.expiresAt)
		s.record(ctx, Entry{Kind: KindSessionExpired, UserID: u.ID, Username: u.Username, UnitCode: u.UnitCode,
			Detail: map[string]any{"session_id": row.id, "reason": reason}})
		return Principal{}, ErrSessionExpired
	case now.Sub(row.lastSeen) >= touchEvery:
		if err := touchSession(ctx, s.store.db, row.id, now); err != nil {
			return Principal{}, err
		}
	}
	return Principal{
		UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, Unit: u.UnitCode,
		MustChangePassword: u.MustChangePassword, SessionID: row.id, CSRFToken: csrfToken(token),
		Tree: s.Tree(),
	}, nil
}

// Logout ends the session of token and audits it. An unknown or expired
// token returns an error wrapping ErrUnauthenticated; the caller may ignore
// it (the cookie should be cleared either way).
func (s *Service) Logout(ctx context.Context, token, remoteAddr string) error {
	if token == "" || len(token) > maxTokenLen {
		return fmt.Errorf("accounts: logout: %w", ErrUnauthenticated)
	}
	row, err := sessionByHash(ctx, s.store.db, hashToken(token))
	if err != nil {
		return err
	}
	if err := deleteSession(ctx, s.store.db, row.id); err != nil {
		return err
	}
	u := row.user
	s.record(ctx, Entry{Kind: KindLogout, UserID: u.ID, Username: u.Username, UnitCode: u.UnitCode,
		RemoteAddr: hostOnly(remoteAddr), Detail: map[string]any{"session_id": row.id}})
	return nil
}
