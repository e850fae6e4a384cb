package accounts

import "fmt"

// Resource is what an action touches, reduced to what Can needs: the unit it
// belongs to and, for accounts, the target account's role.
type Resource struct {
	// Unit is the code of the unit the resource belongs to: a camera's unit,
	// the unit being managed, the target user's unit, the unit whose audit
	// rows or dashboard are read.
	Unit string
	// Role is the target account's role, for ActionUserManage only; empty
	// when the role is not being set (listing, disabling).
	Role Role
}

// Can is the one authorization decision. It returns nil when p may do action
// on res; otherwise an error wrapping
//
//   - ErrUnauthenticated when p is not a usable principal,
//   - ErrNotFound when res lies outside p's scope (the subtree of p.Unit in
//     p.Tree) or its unit is unknown, so the caller answers 404 and does not
//     reveal that it exists,
//   - ErrForbidden when res is in scope but p's role may not do action, or
//     p must first change a generated password (ErrPasswordChangeRequired),
//   - ErrInvalid (a *FieldError for "role") when an account of res.Role
//     cannot be bound to a unit of res.Unit's level (a commune account on a
//     district, say).
//
// An admin manages accounts of any role in its own subtree, including other
// admins bound to its own unit or below, and never accounts above it.
// Can is pure: it reads only its arguments.
func Can(p Principal, action Action, res Resource) error {
	if p.UserID == 0 || !p.Role.Valid() || p.Unit == "" {
		return fmt.Errorf("%s: %w", action, ErrUnauthenticated)
	}
	if !p.InScope(res.Unit) {
		return fmt.Errorf("%s on unit %q: %w", action, res.Unit, ErrNotFound)
	}
	if p.MustChangePassword {
		return fmt.Errorf("%s: %w", action, ErrPasswordChangeRequired)
	}
	if !allowed(p.Role, action) {
		return fmt.Errorf("%s as %s: %w", action, p.Role, ErrForbidden)
	}
	if action == ActionUserManage && res.Role != "" {
		u, _ := p.Tree.Unit(res.Unit)
		if !res.Role.fitsLevel(u.Level) {
			return invalidField("role", "a %s account cannot be bound to %s %q (level %s)", res.Role, u.Kind, u.Code, u.Level)
		}
	}
	return nil
}
