package accounts

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Credential is a generated first password, shown once.
type Credential struct {
	UserID   int64  `json:"user_id"`
	Username string `json:"username"`
	Password string `json:"password"`
	UnitCode string `json:"unit_code"`
	UnitName string `json:"unit_name"`
}

// CommuneUsername is the account name bulk creation gives a commune:
// "xa-" and the unit code, e.g. xa-25459.
func CommuneUsername(unitCode string) string { return "xa-" + unitCode }

// BulkCreateCommuneAccounts creates one commune account for every commune
// in parentUnit's subtree that has no commune account yet (a disabled one
// counts: re-enable or reset it instead), each with a generated password
// that must be changed at first login. If the name xa-<code> is taken by
// another account, -2, -3, … is appended. All or nothing; one audit row per
// account. Results are in tree order.
func (s *Service) BulkCreateCommuneAccounts(ctx context.Context, admin Principal, parentUnit string) ([]Credential, error) {
	if err := Can(admin, ActionUserManage, Resource{Unit: parentUnit}); err != nil {
		return nil, err
	}
	var todo []Unit
	for _, u := range admin.Tree.Subtree(parentUnit) {
		if u.Level == LevelCommune && Can(admin, ActionUserManage, Resource{Unit: u.Code, Role: RoleCommune}) == nil {
			todo = append(todo, u)
		}
	}
	have, err := s.communesWithAccount(ctx)
	if err != nil {
		return nil, err
	}
	// Hash outside the write transaction: it is the slow part.
	var creds []Credential
	var users []User
	for _, unit := range todo {
		if have[unit.Code] {
			continue
		}
		c := Credential{Username: CommuneUsername(unit.Code), Password: GeneratePassword(), UnitCode: unit.Code, UnitName: unit.Name}
		hash, err := HashPassword(c.Password, s.cfg.Hash)
		if err != nil {
			return nil, err
		}
		creds = append(creds, c)
		users = append(users, User{Username: c.Username, DisplayName: unit.Name, Role: RoleCommune,
			UnitCode: unit.Code, MustChangePassword: true, passwordHash: hash})
	}
	now := s.cfg.Now()
	out := []Credential{}
	err = s.store.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		for i, u := range users {
			// Re-check inside the transaction: a concurrent run may have won.
			var exists bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE role = 'commune' AND unit_code = ?)`,
				u.UnitCode).Scan(&exists); err != nil {
				return fmt.Errorf("accounts: commune accounts: %w", err)
			}
			if exists {
				continue
			}
			id, name, err := insertUserFreeName(ctx, tx, u, now)
			if err != nil {
				return err
			}
			u.ID, u.Username = id, name
			c := creds[i]
			c.UserID, c.Username = id, name
			out = append(out, c)
			if err := s.audit.recordTx(ctx, tx, s.adminEntry(admin, KindUserCreate, u, map[string]any{
				"user": userDetail(u), "password_generated": true, "bulk": parentUnit,
			})); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// communesWithAccount returns the units that already have a commune account.
func (s *Service) communesWithAccount(ctx context.Context) (map[string]bool, error) {
	rows, err := s.store.db.QueryContext(ctx, `SELECT DISTINCT unit_code FROM users WHERE role = 'commune'`)
	if err != nil {
		return nil, fmt.Errorf("accounts: commune accounts: %w", err)
	}
	defer func() { _ = rows.Close() }()
	have := map[string]bool{}
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, fmt.Errorf("accounts: commune accounts: %w", err)
		}
		have[code] = true
	}
	return have, rows.Err()
}

// insertUserFreeName inserts u, appending -2, -3, … to the username while
// it is taken.
func insertUserFreeName(ctx context.Context, tx *sql.Tx, u User, now time.Time) (int64, string, error) {
	base := u.Username
	for n := 2; ; n++ {
		var taken bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE username = ?)`, u.Username).Scan(&taken); err != nil {
			return 0, "", fmt.Errorf("accounts: check username %s: %w", u.Username, err)
		}
		if !taken {
			id, err := insertUser(ctx, tx, u, now)
			return id, u.Username, err
		}
		u.Username = fmt.Sprintf("%s-%d", base, n)
	}
}
