package accounts

import (
	"context"
	"database/sql"
	"errors"
	"unicode/utf8"

	"github.com/vms-project/vms/internal/httpx"
)

// NewUser is what an admin fills in to create an account.
type NewUser struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        Role   `json:"role"`
	UnitCode    string `json:"unit_code"`
	// Password is optional: empty means generate one. Either way the user
	// must change it at first login, since the admin knows it.
	Password string `json:"password"`
}

// validUsername accepts 2–64 of a-z 0-9 . _ - starting with a letter or
// digit (after lower-casing).
func validUsername(s string) bool {
	if len(s) < 2 || len(s) > maxUsernameLen {
		return false
	}
	for i, c := range []byte(s) {
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '_' && c != '-') {
			return false
		}
	}
	return true
}

func checkDisplayName(s string) error {
	if utf8.RuneCountInString(s) > 100 || !utf8.ValidString(s) {
		return invalidField("display_name", "must be valid text of at most 100 characters")
	}
	return nil
}

// CreateUser creates an account in admin's scope (Can with
// ActionUserManage on the new account's unit and role). It returns the user
// and, if it generated the password, that password (shown once).
func (s *Service) CreateUser(ctx context.Context, admin Principal, in NewUser) (User, string, error) {
	u := User{Username: normalizeUsername(in.Username), DisplayName: in.DisplayName, Role: in.Role,
		UnitCode: in.UnitCode, MustChangePassword: true}
	if !validUsername(u.Username) {
		return User{}, "", invalidField("username", "must be 2–64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit")
	}
	if err := checkDisplayName(u.DisplayName); err != nil {
		return User{}, "", err
	}
	if !u.Role.Valid() {
		return User{}, "", invalidField("role", "must be one of admin, province, district, police, commune")
	}
	if err := Can(admin, ActionUserManage, Resource{Unit: u.UnitCode, Role: u.Role}); err != nil {
		return User{}, "", scopeField(err, "unit_code")
	}
	password, generated := in.Password, ""
	if password == "" {
		password = GeneratePassword()
		generated = password
	} else if err := checkPasswordPolicy("password", u.Username, password); err != nil {
		return User{}, "", err
	}
	hash, err := HashPassword(password, s.cfg.Hash)
	if err != nil {
		return User{}, "", err
	}
	u.passwordHash = hash
	now := s.cfg.Now()
	err = s.store.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if u.ID, err = insertUser(ctx, tx, u, now); err != nil {
			return err
		}
		return s.audit.recordTx(ctx, tx, s.adminEntry(admin, KindUserCreate, u, map[string]any{
			"user": userDetail(u), "password_generated": generated != "",
		}))
	})
	if err != nil {
		return User{}, "", err
	}
	u.CreatedAt, u.UpdatedAt = now, now
	return u, generated, nil
}

// ListUsers returns the accounts bound to unit's subtree (admin's own unit
// if unit is empty).
func (s *Service) ListUsers(ctx context.Context, admin Principal, unit string) ([]User, error) {
	if unit == "" {
		unit = admin.Unit
	}
	if err := Can(admin, ActionUserManage, Resource{Unit: unit}); err != nil {
		return nil, err
	}
	return listUsers(ctx, s.store.db, admin.Tree.SubtreeCodes(unit))
}

// adminEntry is the audit row of an administrative change to user u.
func (s *Service) adminEntry(admin Principal, kind string, u User, detail map[string]any) Entry {
	detail["by"] = map[string]any{"user_id": admin.UserID, "username": admin.Username}
	return Entry{At: s.cfg.Now(), Kind: kind, UserID: admin.UserID, Username: admin.Username,
		UnitCode: u.UnitCode, RemoteAddr: admin.RemoteAddr, Detail: detail}
}

func userDetail(u User) map[string]any {
	return map[string]any{"id": u.ID, "username": u.Username, "display_name": u.DisplayName,
		"role": string(u.Role), "unit_code": u.UnitCode, "disabled": u.Disabled}
}

// scopeField names the request field whose unit Can rejected, keeping the
// error's kind (an unknown unit and one outside the scope both stay
// ErrNotFound, so they look alike).
func scopeField(err error, field string) error {
	var named httpx.FieldError
	if errors.As(err, &named) {
		return err
	}
	return &wrappedField{field: field, err: err}
}
