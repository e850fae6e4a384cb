package accounts

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// User is an account as stored. The password hash never leaves the package.
type User struct {
	ID                 int64     `json:"id"`
	Username           string    `json:"username"`
	DisplayName        string    `json:"display_name"`
	Role               Role      `json:"role"`
	UnitCode           string    `json:"unit_code"`
	MustChangePassword bool      `json:"must_change_password"`
	Disabled           bool      `json:"disabled"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
	LastLoginAt        time.Time `json:"last_login_at,omitzero"`
	passwordHash       string
}

// userColumns is the column list scanUser expects (sessionByHash repeats
// it with a table prefix).
const userColumns = `id, username, display_name, role, unit_code, must_change_password, disabled,
	created_at, updated_at, last_login_at, password_hash`

func scanUser(scan func(...any) error) (User, error) {
	var u User
	var created, updated, last string
	if err := scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.UnitCode, &u.MustChangePassword,
		&u.Disabled, &created, &updated, &last, &u.passwordHash); err != nil {
		return User{}, err
	}
	var err error
	if u.CreatedAt, err = parseTime(created); err != nil {
		return User{}, err
	}
	if u.UpdatedAt, err = parseTime(updated); err != nil {
		return User{}, err
	}
	if u.LastLoginAt, err = parseTime(last); err != nil {
		return User{}, err
	}
	return u, nil
}

func userBy(ctx context.Context, q querier, column string, value any) (User, error) {
	row := q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+column+` = ?`, value)
	u, err := scanUser(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("accounts: user %v: %w", value, ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("accounts: read user %v: %w", value, err)
	}
	return u, nil
}

// UserByID returns the user with the given id, or an error wrapping
// ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	return userBy(ctx, s.db, "id", id)
}

// UserByUsername looks a username up case-insensitively.
func (s *Store) UserByUsername(ctx context.Context, username string) (User, error) {
	return userBy(ctx, s.db, "username", normalizeUsername(username))
}

func normalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CountUsers returns how many accounts exist.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("accounts: count users: %w", err)
	}
	return n, nil
}

func insertUser(ctx context.Context, q querier, u User, now time.Time) (int64, error) {
	ts := formatTime(now)
	res, err := q.ExecContext(ctx, `INSERT INTO users (username, display_name, role, unit_code, password_hash,
		must_change_password, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Username, u.DisplayName, string(u.Role), u.UnitCode, u.passwordHash,
		boolInt(u.MustChangePassword), boolInt(u.Disabled), ts, ts)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE constraint failed: users.username") {
			return 0, fmt.Errorf("accounts: %w", &conflictError{field: "username", msg: fmt.Sprintf("%q is taken", u.Username)})
		}
		return 0, fmt.Errorf("accounts: insert user %s: %w", u.Username, err)
	}
	return res.LastInsertId()
}

// updateUserRow writes the mutable columns of u.
func updateUserRow(ctx context.Context, q querier, u User, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE users SET display_name = ?, role = ?, unit_code = ?, password_hash = ?,
		must_change_password = ?, disabled = ?, updated_at = ? WHERE id = ?`,
		u.DisplayName, string(u.Role), u.UnitCode, u.passwordHash, boolInt(u.MustChangePassword),
		boolInt(u.Disabled), formatTime(now), u.ID)
	if err != nil {
		return fmt.Errorf("accounts: update user %d: %w", u.ID, err)
	}
	return nil
}

// listUsers returns the users bound to any of units, ordered by username.
func listUsers(ctx context.Context, q querier, units []string) ([]User, error) {
	codes, _ := json.Marshal(units)
	rows, err := q.QueryContext(ctx, `SELECT `+userColumns+` FROM users
		WHERE unit_code IN (SELECT value FROM json_each(?)) ORDER BY username`, string(codes))
	if err != nil {
		return nil, fmt.Errorf("accounts: list users: %w", err)
	}
	defer func() { _ = rows.Close() }()
	out := []User{}
	for rows.Next() {
		u, err := scanUser(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("accounts: list users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("accounts: list users: %w", err)
	}
	return out, nil
}

// conflictError is an ErrConflict that names the field.
type conflictError struct{ field, msg string }

func (e *conflictError) Error() string { return e.field + ": " + e.msg }
func (e *conflictError) Unwrap() error { return ErrConflict }

// ErrorField returns the field in conflict.
func (e *conflictError) ErrorField() string { return e.field }
