package accounts

import (
	"context"
	"database/sql"
)

// UserPatch is a partial change to an account; nil fields stay as they are.
type UserPatch struct {
	DisplayName *string `json:"display_name"`
	Role        *Role   `json:"role"`
	UnitCode    *string `json:"unit_code"`
	Disabled    *bool   `json:"disabled"`
	// ResetPassword sets a generated password that must be changed at the
	// next login.
	ResetPassword bool `json:"reset_password"`
}

// UpdateUser applies patch to account id. The account must be in admin's
// scope (ErrNotFound otherwise) and so must its new unit and role. Admins
// cannot disable, move or reset themselves (ErrForbidden), which keeps the
// last admin from locking everyone out by accident. Disabling, moving or
// resetting an account ends its sessions and fires OnUserDisabled. It
// returns the updated user and the generated password, if reset.
func (s *Service) UpdateUser(ctx context.Context, admin Principal, id int64, patch UserPatch) (User, string, error) {
	old, err := s.store.UserByID(ctx, id)
	if err != nil {
		return User{}, "", err
	}
	if err := Can(admin, ActionUserManage, Resource{Unit: old.UnitCode}); err != nil {
		return User{}, "", err // out of scope looks like a missing user
	}
	u, changes, err := applyPatch(old, patch)
	if err != nil {
		return User{}, "", err
	}
	revoke := u.Disabled && !old.Disabled || u.Role != old.Role || u.UnitCode != old.UnitCode || patch.ResetPassword
	if id == admin.UserID && revoke {
		return User{}, "", public(ErrForbidden, "admins cannot disable, move or reset their own account")
	}
	if u.Role != old.Role || u.UnitCode != old.UnitCode {
		if err := Can(admin, ActionUserManage, Resource{Unit: u.UnitCode, Role: u.Role}); err != nil {
			return User{}, "", scopeField(err, "unit_code")
		}
	}
	var generated string
	if patch.ResetPassword {
		generated = GeneratePassword()
		if u.passwordHash, err = HashPassword(generated, s.cfg.Hash); err != nil {
			return User{}, "", err
		}
		u.MustChangePassword = true
		changes["password_reset"] = true
	}
	if len(changes) == 0 {
		return old, "", nil
	}
	now := s.cfg.Now()
	err = s.store.inTx(ctx, func(tx *sql.Tx) error {
		if err := updateUserRow(ctx, tx, u, now); err != nil {
			return err
		}
		if revoke {
			if err := deleteUserSessions(ctx, tx, u.ID, 0); err != nil {
				return err
			}
		}
		return s.audit.recordTx(ctx, tx, s.adminEntry(admin, KindUserUpdate, u, map[string]any{
			"user_id": u.ID, "target": u.Username, "changes": changes,
		}))
	})
	if err != nil {
		return User{}, "", err
	}
	if revoke {
		s.notifyRevoked(u.ID)
	}
	u.UpdatedAt = now
	return u, generated, nil
}

// applyPatch returns old with patch applied and the changed fields as
// {"field": {"old": …, "new": …}}.
func applyPatch(old User, patch UserPatch) (User, map[string]any, error) {
	u := old
	changes := map[string]any{}
	diff := func(field string, was, now any) {
		if was != now {
			changes[field] = map[string]any{"old": was, "new": now}
		}
	}
	if patch.DisplayName != nil {
		if err := checkDisplayName(*patch.DisplayName); err != nil {
			return User{}, nil, err
		}
		u.DisplayName = *patch.DisplayName
		diff("display_name", old.DisplayName, u.DisplayName)
	}
	if patch.Role != nil {
		if !patch.Role.Valid() {
			return User{}, nil, invalidField("role", "must be one of admin, province, district, police, commune")
		}
		u.Role = *patch.Role
		diff("role", string(old.Role), string(u.Role))
	}
	if patch.UnitCode != nil {
		u.UnitCode = *patch.UnitCode
		diff("unit_code", old.UnitCode, u.UnitCode)
	}
	if patch.Disabled != nil {
		u.Disabled = *patch.Disabled
		diff("disabled", old.Disabled, u.Disabled)
	}
	return u, changes, nil
}
