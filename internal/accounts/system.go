package accounts

import (
	"context"
	"database/sql"
	"fmt"
	"io"
)

// The *AsSystem methods are what `vms user …` and `vms import units` do
// from the server's shell, e.g. to recover from a lost admin password.
// Whoever can run them can read the database file anyway, so they check no
// principal; each change is audited with "by": "cli". They apply the same
// validation as the HTTP API.

// byCLI marks audit rows written by the command line.
const byCLI = "cli"

// CreateUserAsSystem creates an account. An empty in.Password means
// generate one, returned once and to be changed at first login; a password
// given by the operator is kept as is (like VMS_ADMIN_PASSWORD).
func (s *Service) CreateUserAsSystem(ctx context.Context, in NewUser) (User, string, error) {
	u := User{Username: normalizeUsername(in.Username), DisplayName: in.DisplayName, Role: in.Role, UnitCode: in.UnitCode}
	if !validUsername(u.Username) {
		return User{}, "", invalidField("username", "must be 2–64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit")
	}
	if err := checkDisplayName(u.DisplayName); err != nil {
		return User{}, "", err
	}
	if !u.Role.Valid() {
		return User{}, "", invalidField("role", "must be one of admin, province, district, police, commune")
	}
	unit, ok := s.Tree().Unit(u.UnitCode)
	if !ok {
		return User{}, "", invalidField("unit", "unit %q not found", u.UnitCode)
	}
	if !u.Role.fitsLevel(unit.Level) {
		return User{}, "", invalidField("role", "a %s account cannot be bound to %s %q (level %s)", u.Role, unit.Kind, unit.Code, unit.Level)
	}
	password, generated, err := chosenOrGenerated("password", u.Username, in.Password)
	if err != nil {
		return User{}, "", err
	}
	u.MustChangePassword = generated != ""
	if u.passwordHash, err = HashPassword(password, s.cfg.Hash); err != nil {
		return User{}, "", err
	}
	now := s.cfg.Now()
	err = s.store.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if u.ID, err = insertUser(ctx, tx, u, now); err != nil {
			return err
		}
		return s.audit.recordTx(ctx, tx, Entry{At: now, Kind: KindUserCreate, UnitCode: u.UnitCode,
			Detail: map[string]any{"user": userDetail(u), "password_generated": generated != "", "by": byCLI}})
	})
	if err != nil {
		return User{}, "", err
	}
	u.CreatedAt, u.UpdatedAt = now, now
	return u, generated, nil
}

// SetPasswordAsSystem replaces a user's password with password, or with a
// generated one (returned, to be changed at first login) when it is empty.
// It ends the user's sessions and fires OnUserDisabled. Login lockouts live
// in the running server's memory and are not lifted.
func (s *Service) SetPasswordAsSystem(ctx context.Context, username, password string) (string, error) {
	u, err := s.store.UserByUsername(ctx, username)
	if err != nil {
		return "", err
	}
	password, generated, err := chosenOrGenerated("password", u.Username, password)
	if err != nil {
		return "", err
	}
	hash, err := HashPassword(password, s.cfg.Hash)
	if err != nil {
		return "", err
	}
	now := s.cfg.Now()
	err = s.store.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ?
			WHERE id = ?`, hash, boolInt(generated != ""), formatTime(now), u.ID); err != nil {
			return fmt.Errorf("accounts: set password of user %d: %w", u.ID, err)
		}
		if err := deleteUserSessions(ctx, tx, u.ID, 0); err != nil {
			return err
		}
		return s.audit.recordTx(ctx, tx, Entry{At: now, Kind: KindPasswordChange, UnitCode: u.UnitCode,
			Detail: map[string]any{"user_id": u.ID, "target": u.Username, "password_generated": generated != "", "by": byCLI}})
	})
	if err != nil {
		return "", err
	}
	s.notifyRevoked(u.ID)
	return generated, nil
}

// SetDisabledAsSystem disables or re-enables an account. Disabling ends
// its sessions and fires OnUserDisabled; a running server that did not make
// the change cuts the user's live viewers at its next CheckViewer round.
func (s *Service) SetDisabledAsSystem(ctx context.Context, username string, disabled bool) (User, error) {
	old, err := s.store.UserByUsername(ctx, username)
	if err != nil {
		return User{}, err
	}
	if old.Disabled == disabled {
		return old, nil
	}
	u := old
	u.Disabled = disabled
	now := s.cfg.Now()
	err = s.store.inTx(ctx, func(tx *sql.Tx) error {
		if err := updateUserRow(ctx, tx, u, now); err != nil {
			return err
		}
		if disabled {
			if err := deleteUserSessions(ctx, tx, u.ID, 0); err != nil {
				return err
			}
		}
		return s.audit.recordTx(ctx, tx, Entry{At: now, Kind: KindUserUpdate, UnitCode: u.UnitCode,
			Detail: map[string]any{"user_id": u.ID, "target": u.Username, "by": byCLI,
				"changes": map[string]any{"disabled": map[string]any{"old": old.Disabled, "new": disabled}}}})
	})
	if err != nil {
		return User{}, err
	}
	if disabled {
		s.notifyRevoked(u.ID)
	}
	u.UpdatedAt = now
	return u, nil
}

// ImportUnitsAsSystem applies a units CSV (see ParseUnitsCSV) with no scope
// limit, all or nothing, and audits it. A server already running keeps its
// units tree until it restarts; POST /api/v1/units/import applies at once.
func (s *Service) ImportUnitsAsSystem(ctx context.Context, r io.Reader) (ImportResult, error) {
	rows, err := parseUnitRows(r)
	if err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	var tree *Tree
	now := s.cfg.Now()
	err = s.store.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if res, tree, err = applyUnitImport(ctx, tx, rows, now, nil); err != nil {
			return err
		}
		return s.audit.recordTx(ctx, tx, Entry{At: now, Kind: KindUnitImport, Detail: map[string]any{
			"rows": len(rows), "created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged, "by": byCLI}})
	})
	if err != nil {
		return ImportResult{}, err
	}
	s.tree.Store(tree)
	return res, nil
}

// RecordAsSystemTx appends e inside tx (a write transaction on this
// service's database) as done from the shell, like the *AsSystem methods'
// rows: no user, and "by": "cli" in the detail. Another package's shell
// command (vms import cameras) uses it to audit its change in the change's
// own transaction.
func (s *Service) RecordAsSystemTx(ctx context.Context, tx *sql.Tx, e Entry) error {
	detail := make(map[string]any, len(e.Detail)+1)
	for k, v := range e.Detail {
		detail[k] = v
	}
	detail["by"] = byCLI
	e.UserID, e.Username, e.RemoteAddr, e.Detail = 0, "", "", detail
	if e.At.IsZero() {
		e.At = s.cfg.Now()
	}
	return s.audit.recordTx(ctx, tx, e)
}

// chosenOrGenerated returns the password to set and, when it generated it,
// the same password again (to show once).
func chosenOrGenerated(field, username, password string) (string, string, error) {
	if password == "" {
		p := GeneratePassword()
		return p, p, nil
	}
	if err := checkPasswordPolicy(field, username, password); err != nil {
		return "", "", err
	}
	return password, "", nil
}
