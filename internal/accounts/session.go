package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Session is a successful login. Token is shown once: the database keeps
// only its SHA-256.
type Session struct {
	ID        int64
	Token     string
	CSRFToken string
	ExpiresAt time.Time // absolute expiry; idle expiry comes sooner if unused
	User      User
}

// maxUsernameLen bounds usernames everywhere.
const maxUsernameLen = 64

// Login checks a username and password and opens a session. An unknown
// user and a wrong password both return ErrInvalidCredentials after the
// same hashing work. A disabled account returns ErrAccountDisabled, but
// only to someone who gave its right password. Repeated failures per
// username or per address return a *RateLimitError (ErrRateLimited) without
// checking the password. Every outcome is audited.
func (s *Service) Login(ctx context.Context, username, password, remoteAddr string) (Session, error) {
	name, addr := normalizeUsername(username), hostOnly(remoteAddr)
	if name == "" {
		return Session{}, invalidField("username", "is required")
	}
	if password == "" {
		return Session{}, invalidField("password", "is required")
	}
	now := s.cfg.Now()
	userKey, addrKey := "user:"+name, "addr:"+addr
	if wait := max(s.byAccount.wait(userKey, now), s.byAddress.wait(addrKey, now)); wait > 0 {
		s.log.Info("login refused: rate limited", "username", name, "addr", addr, "retry_after", wait)
		return Session{}, &RateLimitError{RetryAfter: wait}
	}
	u, err := s.lookupForLogin(ctx, name)
	if err != nil {
		return Session{}, err
	}
	hash := s.dummyHash
	if u.ID != 0 {
		hash = u.passwordHash
	}
	ok, stale, err := VerifyPassword(password, hash, s.cfg.Hash)
	if err != nil {
		s.log.Error("stored password hash unreadable", "user_id", u.ID, "err", err)
		ok = false
	}
	ok = ok && u.ID != 0 && len(password) <= maxPasswordBytes
	switch {
	case !ok:
		s.loginFailed(ctx, u, name, addr, "bad_credentials", now)
		return Session{}, ErrInvalidCredentials
	case u.Disabled:
		s.loginFailed(ctx, u, name, addr, "disabled", now)
		return Session{}, ErrAccountDisabled
	}
	s.byAccount.reset(userKey)
	sess, err := s.openSession(ctx, u, password, stale, addr, now)
	if err != nil {
		return Session{}, err
	}
	return sess, nil
}

// lookupForLogin returns the user, or a zero User if there is none.
func (s *Service) lookupForLogin(ctx context.Context, name string) (User, error) {
	if len(name) > maxUsernameLen {
		return User{}, nil
	}
	u, err := s.store.UserByUsername(ctx, name)
	if errors.Is(err, ErrNotFound) {
		return User{}, nil
	}
	return u, err
}

// loginFailed counts the failure against the username and the address and
// audits it, and the lockout if one engaged.
func (s *Service) loginFailed(ctx context.Context, u User, name, addr, reason string, now time.Time) {
	if len(name) > maxUsernameLen {
		name = name[:maxUsernameLen]
	}
	e := Entry{Kind: KindLoginFailure, UserID: u.ID, Username: name, UnitCode: u.UnitCode, RemoteAddr: addr,
		Detail: map[string]any{"reason": reason}}
	s.record(ctx, e)
	if reason == "disabled" {
		return // the password was right; nothing to throttle
	}
	for _, lk := range []struct {
		lim   *limiter
		key   string
		scope string
	}{{s.byAccount, "user:" + name, "username"}, {s.byAddress, "addr:" + addr, "address"}} {
		if d := lk.lim.fail(lk.key, now); d > 0 {
			e.Kind, e.Detail = KindLoginLocked, map[string]any{"scope": lk.scope, "lockout_seconds": int(d.Seconds())}
			s.record(ctx, e)
			s.log.Warn("login locked", "scope", lk.scope, "username", name, "addr", addr, "lockout", d)
		}
	}
}

// record appends an audit row outside any transaction, logging a failure
// instead of failing the caller.
func (s *Service) record(ctx context.Context, e Entry) {
	if err := s.audit.Record(ctx, e); err != nil {
		s.log.Error("audit append failed", "kind", e.Kind, "err", err)
	}
}

// openSession stores a new session for u and audits the login in the same
// transaction; it also re-hashes a password stored with old parameters.
func (s *Service) openSession(ctx context.Context, u User, password string, stale bool, addr string, now time.Time) (Session, error) {
	token := newToken()
	expires := now.Add(s.cfg.AbsoluteTimeout)
	var rehash string
	if stale {
		if h, err := HashPassword(password, s.cfg.Hash); err == nil {
			rehash = h
		}
	}
	var id int64
	err := s.store.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = insertSession(ctx, tx, hashToken(token), u.ID, addr, now, expires); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, formatTime(now), u.ID); err != nil {
			return fmt.Errorf("accounts: record login: %w", err)
		}
		if rehash != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, rehash, u.ID); err != nil {
				return fmt.Errorf("accounts: re-hash password: %w", err)
			}
		}
		return s.audit.recordTx(ctx, tx, Entry{Kind: KindLoginSuccess, UserID: u.ID, Username: u.Username,
			UnitCode: u.UnitCode, RemoteAddr: addr, At: now, Detail: map[string]any{"session_id": id}})
	})
	if err != nil {
		return Session{}, err
	}
	u.LastLoginAt = now
	return Session{ID: id, Token: token, CSRFToken: csrfToken(token), ExpiresAt: expires, User: u}, nil
}
