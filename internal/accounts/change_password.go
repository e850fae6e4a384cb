package accounts

import (
	"context"
	"database/sql"
	"fmt"
)

// ChangePassword lets p replace its own password. The old password must be
// right (wrong guesses count towards the per-account rate limit, so a
// stolen session cannot brute-force it); the new one must meet the policy
// and differ from the old. It clears MustChangePassword and ends the user's
// other sessions.
func (s *Service) ChangePassword(ctx context.Context, p Principal, oldPassword, newPassword string) error {
	if p.UserID == 0 {
		return fmt.Errorf("accounts: change password: %w", ErrUnauthenticated)
	}
	now := s.cfg.Now()
	key := "user:" + p.Username
	if wait := s.byAccount.wait(key, now); wait > 0 {
		return &RateLimitError{RetryAfter: wait}
	}
	u, err := s.store.UserByID(ctx, p.UserID)
	if err != nil {
		return err
	}
	ok, _, err := VerifyPassword(oldPassword, u.passwordHash, s.cfg.Hash)
	if err != nil {
		return fmt.Errorf("accounts: user %d: %w", u.ID, err)
	}
	if !ok {
		s.byAccount.fail(key, now)
		s.record(ctx, Entry{Kind: KindPasswordChange, UserID: u.ID, Username: u.Username, UnitCode: u.UnitCode,
			RemoteAddr: p.RemoteAddr, Detail: map[string]any{"ok": false, "reason": "wrong_old_password"}})
		return invalidField("old_password", "is not the current password")
	}
	if err := checkPasswordPolicy("new_password", u.Username, newPassword); err != nil {
		return err
	}
	if newPassword == oldPassword {
		return invalidField("new_password", "must differ from the current password")
	}
	hash, err := HashPassword(newPassword, s.cfg.Hash)
	if err != nil {
		return err
	}
	return s.store.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = 0, updated_at = ?
			WHERE id = ?`, hash, formatTime(now), u.ID); err != nil {
			return fmt.Errorf("accounts: change password of user %d: %w", u.ID, err)
		}
		if err := deleteUserSessions(ctx, tx, u.ID, p.SessionID); err != nil {
			return err
		}
		return s.audit.recordTx(ctx, tx, Entry{At: now, Kind: KindPasswordChange, UserID: u.ID, Username: u.Username,
			UnitCode: u.UnitCode, RemoteAddr: p.RemoteAddr, Detail: map[string]any{"ok": true}})
	})
}
