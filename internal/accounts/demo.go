package accounts

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// DemoAccounts creates one account per role for demonstrations, with known
// passwords (the username followed by "-pass") and no forced change, and
// prints them to out. It prefers unit 703 (Thành phố Tây Ninh) and its first
// commune, falling back to the first district and commune of the first root
// for another tree. Existing demo accounts are left alone (and printed
// again). Never call it on a production database.
func (s *Service) DemoAccounts(ctx context.Context, out io.Writer) error {
	t := s.Tree()
	roots := t.Roots()
	if len(roots) == 0 {
		return errors.New("accounts: demo accounts: no units (run EnsureBootstrap first)")
	}
	root := roots[0].Code
	district := firstOfLevel(t, root, LevelDistrict)
	if u, ok := t.Unit("703"); ok && u.Level == LevelDistrict {
		district = u.Code
	}
	below := district
	if below == "" {
		below = root
	}
	commune := firstOfLevel(t, below, LevelCommune)
	demos := []struct {
		role Role
		unit string
	}{
		{RoleAdmin, root}, {RoleProvince, root}, {RoleDistrict, district}, {RolePolice, district}, {RoleCommune, commune},
	}
	for _, d := range demos {
		if d.unit == "" {
			continue // e.g. no districts in a two-tier tree
		}
		name := "demo-" + string(d.role)
		password := name + "-pass"
		if _, err := s.store.UserByUsername(ctx, name); errors.Is(err, ErrNotFound) {
			unit, _ := t.Unit(d.unit)
			if _, err := s.createSystemUser(ctx, name, "Demo "+string(d.role)+" — "+unit.Name, d.role, d.unit, password, false); err != nil {
				return fmt.Errorf("accounts: demo account %s: %w", name, err)
			}
		} else if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(out, "demo account %-14s password %-19s role %-8s unit %s\n", name, password, d.role, d.unit); err != nil {
			return err
		}
	}
	return nil
}

// firstOfLevel returns the first unit of level l below code, in tree order.
func firstOfLevel(t *Tree, code string, l Level) string {
	for _, u := range t.Subtree(code) {
		if u.Level == l {
			return u.Code
		}
	}
	return ""
}
