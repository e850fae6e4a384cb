package camera

import "github.com/vms-project/vms/internal/httpx"

// Error kinds this package returns, wrapped with context. They are the
// shared httpx kinds, so errors.Is works with either name and the HTTP
// layer maps them without knowing this package. Invalid input is a
// *ValidationError or *ImportError.
var (
	// ErrNotFound: no such camera (or, from Authorize, one the caller may not
	// know exists). 404.
	ErrNotFound = httpx.ErrNotFound
	// ErrUnauthorized: Authorize found no authenticated user. 401.
	ErrUnauthorized = httpx.ErrUnauthorized
	// ErrForbidden: Authorize refused the action. 403.
	ErrForbidden = httpx.ErrForbidden
	// ErrConflict: another camera in the unit already has the name. 409.
	ErrConflict = httpx.ErrConflict
)
