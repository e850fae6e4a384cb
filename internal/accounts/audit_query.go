package accounts

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// AuditFilter selects audit rows. Zero fields do not filter.
type AuditFilter struct {
	// Units restricts rows to these unit codes (a subtree); nil means every
	// unit. Rows without a unit (a failed login for an unknown name) are
	// included only if NoUnit is set.
	Units  []string
	NoUnit bool
	// User matches the username, or the user id if it is a number.
	User     string
	CameraID int64
	// Kind matches exactly or as a prefix before a dot: "login" matches
	// login.success and login.failure.
	Kind     string
	From, To time.Time // From inclusive, To exclusive
	BeforeID int64     // paging: only rows with a smaller id
	Limit    int       // 0 means no limit
}

// Each calls fn for every matching row, newest first, stopping at fn's
// first error.
func (a *Audit) Each(ctx context.Context, f AuditFilter, fn func(Entry) error) error {
	where, args := f.sql()
	q := `SELECT id, at, kind, COALESCE(user_id, 0), username, unit_code, COALESCE(camera_id, 0),
		remote_addr, detail, hash FROM audit_log` + where + ` ORDER BY id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := a.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("audit: query: %w", err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var e Entry
		var at, detail string
		if err := rows.Scan(&e.ID, &at, &e.Kind, &e.UserID, &e.Username, &e.UnitCode, &e.CameraID,
			&e.RemoteAddr, &detail, &e.Hash); err != nil {
			return fmt.Errorf("audit: query: %w", err)
		}
		if e.At, err = parseTime(at); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(detail), &e.Detail); err != nil {
			return fmt.Errorf("audit: row %d detail: %w", e.ID, err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("audit: query: %w", err)
	}
	return nil
}

// List returns the matching rows, newest first.
func (a *Audit) List(ctx context.Context, f AuditFilter) ([]Entry, error) {
	out := []Entry{}
	err := a.Each(ctx, f, func(e Entry) error { out = append(out, e); return nil })
	return out, err
}

func (f AuditFilter) sql() (string, []any) {
	var conds []string
	var args []any
	if f.Units != nil {
		codes, _ := json.Marshal(f.Units)
		c := `unit_code IN (SELECT value FROM json_each(?))`
		if f.NoUnit {
			c = `(` + c + ` OR unit_code = '')`
		}
		conds, args = append(conds, c), append(args, string(codes))
	}
	if f.User != "" {
		conds, args = append(conds, `(username = ? OR CAST(user_id AS TEXT) = ?)`), append(args, strings.ToLower(f.User), f.User)
	}
	if f.CameraID != 0 {
		conds, args = append(conds, `camera_id = ?`), append(args, f.CameraID)
	}
	if f.Kind != "" {
		conds, args = append(conds, `(kind = ? OR kind LIKE ? ESCAPE '\')`), append(args, f.Kind, escapeLike(f.Kind)+".%")
	}
	if !f.From.IsZero() {
		conds, args = append(conds, `at >= ?`), append(args, formatTime(f.From))
	}
	if !f.To.IsZero() {
		conds, args = append(conds, `at < ?`), append(args, formatTime(f.To))
	}
	if f.BeforeID > 0 {
		conds, args = append(conds, `id < ?`), append(args, f.BeforeID)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
