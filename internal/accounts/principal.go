package accounts

import "context"

// Principal is an authenticated user as seen by Can: who, which role, bound
// to which unit, and the units snapshot that defines the scope.
type Principal struct {
	UserID      int64  `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        Role   `json:"role"`
	// Unit is the code of the unit the user is bound to; the scope is its
	// subtree in Tree.
	Unit string `json:"unit_code"`
	// MustChangePassword blocks every action until ChangePassword succeeds.
	MustChangePassword bool `json:"must_change_password"`
	// SessionID identifies the session the request came with (0 if none).
	SessionID int64 `json:"-"`
	// CSRFToken is the per-session token cookie-authenticated requests must
	// echo in X-CSRF-Token; set by Middleware.
	CSRFToken string `json:"-"`
	// RemoteAddr is the client address of the request (no port), for the
	// audit log; set by Middleware.
	RemoteAddr string `json:"-"`
	// Tree is the units snapshot current when the session was authenticated.
	Tree *Tree `json:"-"`
}

// InScope reports whether unit code lies in the principal's subtree.
func (p Principal) InScope(code string) bool {
	return p.Tree.Contains(p.Unit, code)
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p; Middleware does this for every
// authenticated request.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal Middleware put in ctx.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}
