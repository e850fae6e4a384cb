package accounts

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// mergeUnits overlays imported rows on the stored tree and checks the
// result: every parent exists, no parent chain loops, and every unit ranks
// below its parent (province > district > commune; a level may be skipped).
// Problems are reported as *LineError naming the row's line.
func mergeUnits(old *Tree, rows []unitRow) (*Tree, error) {
	units := map[string]Unit{}
	for _, u := range old.All() {
		units[u.Code] = u
	}
	lineOf := map[string]int{}
	for _, row := range rows {
		units[row.Code] = row.Unit
		lineOf[row.Code] = row.line
	}
	var errs []error
	add := func(err error) {
		if len(errs) < maxLineErrors {
			errs = append(errs, err)
		}
	}
	for _, row := range rows {
		if row.ParentCode == "" {
			continue
		}
		if _, ok := units[row.ParentCode]; !ok {
			add(&LineError{Line: row.line, Column: "parent_code", Message: fmt.Sprintf("unit %q not found", row.ParentCode)})
			continue
		}
		if cycle := cycleFrom(units, row.Code); cycle != nil {
			add(&LineError{Line: row.line, Column: "parent_code", Message: "cycle " + strings.Join(cycle, " → ")})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	// Levels: each imported unit against its parent, and each stored child
	// of an imported unit against the unit's new level.
	codes := make([]string, 0, len(units))
	for c := range units {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		u := units[c]
		p, ok := units[u.ParentCode]
		if !ok || p.Level.rank() < u.Level.rank() {
			continue
		}
		line := lineOf[u.Code]
		if line == 0 {
			line = lineOf[p.Code]
		}
		add(&LineError{Line: line, Column: "level", Message: fmt.Sprintf("%s %q cannot sit below %s %q", u.Level, u.Code, p.Level, p.Code)})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	list := make([]Unit, 0, len(units))
	for _, u := range units {
		list = append(list, u)
	}
	t, err := NewTree(list)
	if err != nil {
		return nil, fmt.Errorf("accounts: merged units: %w", err)
	}
	return t, nil
}

// cycleFrom follows parents from code and returns the loop it runs into, or
// nil if it reaches a root.
func cycleFrom(units map[string]Unit, code string) []string {
	seen := map[string]int{}
	var chain []string
	for cur := code; cur != ""; cur = units[cur].ParentCode {
		if i, ok := seen[cur]; ok {
			return append(chain[i:], cur)
		}
		if _, ok := units[cur]; !ok {
			return nil
		}
		seen[cur] = len(chain)
		chain = append(chain, cur)
	}
	return nil
}
