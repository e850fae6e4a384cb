package accounts

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// BootstrapAdmin is the account EnsureBootstrap creates.
const BootstrapAdmin = "admin"

// EnsureBootstrap prepares a fresh database and is a no-op afterwards:
// with no units it loads the embedded seed; with no users it creates the
// account "admin" (role admin, bound to the first root unit). The password
// is adminPassword (e.g. from VMS_ADMIN_PASSWORD; it must meet the policy
// and is not printed) or, if empty, a generated one printed once to out that
// must be changed at first login. Later starts never touch the admin
// password.
func (s *Service) EnsureBootstrap(ctx context.Context, adminPassword string, out io.Writer) error {
	if s.Tree().Len() == 0 {
		res, err := s.store.ImportUnits(ctx, SeedUnits())
		if err != nil {
			return fmt.Errorf("accounts: load unit seed: %w", err)
		}
		if err := s.reloadTree(ctx); err != nil {
			return err
		}
		s.record(ctx, Entry{Kind: KindBootstrap, Detail: map[string]any{"units_seeded": res.Created}})
		s.log.Info("loaded unit seed", "units", res.Created)
	}
	n, err := s.store.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	roots := s.Tree().Roots()
	if len(roots) == 0 {
		return errors.New("accounts: bootstrap: no root unit")
	}
	password, mustChange := adminPassword, false
	if password == "" {
		password, mustChange = GeneratePassword(), true
	} else if err := checkPasswordPolicy("VMS_ADMIN_PASSWORD", BootstrapAdmin, password); err != nil {
		return fmt.Errorf("accounts: bootstrap: %w", err)
	}
	u, err := s.createSystemUser(ctx, BootstrapAdmin, "Administrator", RoleAdmin, roots[0].Code, password, mustChange)
	if err != nil {
		return fmt.Errorf("accounts: bootstrap: %w", err)
	}
	if mustChange {
		_, err = fmt.Fprintf(out, "vms: created account %q (admin of %s) with password %s — change it at first login\n",
			u.Username, roots[0].Name, password)
	} else {
		_, err = fmt.Fprintf(out, "vms: created account %q (admin of %s) with the password from VMS_ADMIN_PASSWORD\n",
			u.Username, roots[0].Name)
	}
	return err
}

// createSystemUser inserts an account without an acting admin (bootstrap,
// demo) and audits it as done by the system.
func (s *Service) createSystemUser(ctx context.Context, name, display string, role Role, unit, password string, mustChange bool) (User, error) {
	hash, err := HashPassword(password, s.cfg.Hash)
	if err != nil {
		return User{}, err
	}
	u := User{Username: name, DisplayName: display, Role: role, UnitCode: unit, MustChangePassword: mustChange, passwordHash: hash}
	now := s.cfg.Now()
	if u.ID, err = insertUser(ctx, s.store.db, u, now); err != nil {
		return User{}, err
	}
	s.record(ctx, Entry{Kind: KindUserCreate, UnitCode: unit, Detail: map[string]any{"user": userDetail(u), "by": "system"}})
	return u, nil
}
