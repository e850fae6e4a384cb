package accounts

import (
	"context"
	"database/sql"
	"fmt"
	"io"
)

// ImportUnits applies a units CSV (see Store.ImportUnits) on behalf of an
// admin, all or nothing. Every row must end up in the admin's subtree, and
// every stored unit it changes must already be there (a *LineError
// otherwise, worded as for an unknown unit); the admin's own unit may be renamed but not moved or
// re-levelled. An admin bound to a root may add new roots (another
// province). The change is audited and the in-memory tree replaced.
func (s *Service) ImportUnits(ctx context.Context, admin Principal, r io.Reader) (ImportResult, error) {
	if err := Can(admin, ActionUnitManage, Resource{Unit: admin.Unit}); err != nil {
		return ImportResult{}, err
	}
	rows, err := parseUnitRows(r)
	if err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	var tree *Tree
	err = s.store.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		res, tree, err = applyUnitImport(ctx, tx, rows, s.cfg.Now(), func(old, merged *Tree, rows []unitRow) error {
			return importScope(admin, old, merged, rows)
		})
		if err != nil {
			return err
		}
		return s.audit.recordTx(ctx, tx, Entry{At: s.cfg.Now(), Kind: KindUnitImport, UserID: admin.UserID,
			Username: admin.Username, UnitCode: admin.Unit, RemoteAddr: admin.RemoteAddr,
			Detail: map[string]any{"rows": len(rows), "created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged}})
	})
	if err != nil {
		return ImportResult{}, err
	}
	s.tree.Store(tree)
	s.log.Info("units imported", "by", admin.Username, "created", res.Created, "updated", res.Updated)
	return res, nil
}

// importScope is the authorization of an import, row by row.
func importScope(admin Principal, old, merged *Tree, rows []unitRow) error {
	own, _ := old.Unit(admin.Unit)
	for _, row := range rows {
		prev, existed := old.Unit(row.Code)
		switch {
		case existed && !old.Contains(admin.Unit, row.Code):
			// Codes are unique across the country, so this one is taken.
			return &LineError{Line: row.line, Column: "code", Message: fmt.Sprintf("%q is taken by a unit outside your scope", row.Code)}
		case row.Code == admin.Unit && (row.ParentCode != prev.ParentCode || row.Level != prev.Level):
			return &LineError{Line: row.line, Column: "parent_code", Message: "your own unit can be renamed, not moved or re-levelled"}
		case merged.Contains(admin.Unit, row.Code):
			// In scope after the import.
		case !existed && own.Code != "" && own.ParentCode == "" && isNewRoot(old, merged, row.Code):
			// A top-level admin adds another province.
		default:
			// Worded like an unknown parent: scope hides what is outside.
			return &LineError{Line: row.line, Column: "parent_code", Message: fmt.Sprintf("unit %q not found", row.ParentCode)}
		}
	}
	return nil
}

// isNewRoot reports whether code sits in a tree whose root did not exist
// before the import.
func isNewRoot(old, merged *Tree, code string) bool {
	_, existed := old.Unit(merged.Path(code)[0].Code)
	return !existed
}

// Units returns the units p may see: its own unit's subtree, tree order.
func (s *Service) Units(p Principal) []Unit {
	if p.UserID == 0 {
		return []Unit{}
	}
	out := p.Tree.Subtree(p.Unit)
	if out == nil {
		return []Unit{}
	}
	return out
}
