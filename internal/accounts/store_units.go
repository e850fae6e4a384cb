package accounts

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"time"
)

// ImportResult counts what an import did.
type ImportResult struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// LoadTree reads every unit into a Tree.
func (s *Store) LoadTree(ctx context.Context) (*Tree, error) {
	return loadTree(ctx, s.db)
}

func loadTree(ctx context.Context, q querier) (*Tree, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, name, level, kind, COALESCE(parent_code, '') FROM units`)
	if err != nil {
		return nil, fmt.Errorf("accounts: load units: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var units []Unit
	for rows.Next() {
		var u Unit
		if err := rows.Scan(&u.Code, &u.Name, &u.Level, &u.Kind, &u.ParentCode); err != nil {
			return nil, fmt.Errorf("accounts: load units: %w", err)
		}
		units = append(units, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("accounts: load units: %w", err)
	}
	t, err := NewTree(units)
	if err != nil {
		return nil, fmt.Errorf("accounts: stored units: %w", err)
	}
	return t, nil
}

// ImportUnits reads a units CSV (see ParseUnitsCSV) and inserts or updates
// every row, all or nothing. Units already stored and absent from the file
// are kept. Parents may be in the file (before or after the child) or
// already stored. It checks no permissions: Service.ImportUnits does.
func (s *Store) ImportUnits(ctx context.Context, r io.Reader) (ImportResult, error) {
	rows, err := parseUnitRows(r)
	if err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, _, err = applyUnitImport(ctx, tx, rows, time.Now(), nil)
		return err
	})
	return res, err
}

// applyUnitImport merges rows into the stored units, validates the result
// (mergeUnits), lets check veto it, and writes it. It returns the new tree.
func applyUnitImport(ctx context.Context, tx *sql.Tx, rows []unitRow, now time.Time,
	check func(old, merged *Tree, rows []unitRow) error) (ImportResult, *Tree, error) {
	old, err := loadTree(ctx, tx)
	if err != nil {
		return ImportResult{}, nil, err
	}
	merged, err := mergeUnits(old, rows)
	if err != nil {
		return ImportResult{}, nil, err
	}
	if check != nil {
		if err := check(old, merged, rows); err != nil {
			return ImportResult{}, nil, err
		}
	}
	var res ImportResult
	ts := formatTime(now)
	for _, row := range rows {
		prev, existed := old.Unit(row.Code)
		switch {
		case existed && prev == row.Unit:
			res.Unchanged++
			continue
		case existed:
			res.Updated++
		default:
			res.Created++
		}
		var parent any
		if row.ParentCode != "" {
			parent = row.ParentCode
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO units (code, name, level, kind, parent_code, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(code) DO UPDATE SET name = excluded.name, level = excluded.level,
				kind = excluded.kind, parent_code = excluded.parent_code, updated_at = excluded.updated_at`,
			row.Code, row.Name, string(row.Level), row.Kind, parent, ts, ts); err != nil {
			return ImportResult{}, nil, fmt.Errorf("accounts: line %d: store unit %s: %w", row.line, row.Code, err)
		}
	}
	return res, merged, nil
}
