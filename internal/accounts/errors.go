package accounts

import (
	"errors"
	"fmt"
	"time"

	"github.com/vms-project/vms/internal/httpx"
)

// Error kinds. Every error this package returns wraps one of these, and
// StatusOf maps them to HTTP status codes. The first five are the shared
// kinds of package httpx, so httpx.WriteError (used by the relay for WHEP,
// say) maps an error from Can or CanView the same way.
var (
	// ErrNotFound: the thing does not exist or is outside the caller's scope.
	ErrNotFound = httpx.ErrNotFound
	// ErrForbidden: in the caller's scope, but the role may not do this.
	ErrForbidden = httpx.ErrForbidden
	// ErrInvalid: the input is malformed or breaks a rule.
	ErrInvalid = httpx.ErrInvalid
	// ErrConflict: the change collides with existing data (e.g. a username).
	ErrConflict = httpx.ErrConflict
	// ErrUnauthenticated: no valid session.
	ErrUnauthenticated = httpx.ErrUnauthorized
	// ErrRateLimited: too many failed logins; see RateLimitError.RetryAfter.
	// httpx has no such kind: answer it with WriteError (429, Retry-After).
	ErrRateLimited = errors.New("too many failed attempts")
)

// Specific errors, each wrapping one of the kinds above.
var (
	// ErrInvalidCredentials is returned alike for an unknown user and a wrong
	// password.
	ErrInvalidCredentials = fmt.Errorf("%w: invalid username or password", ErrUnauthenticated)
	// ErrAccountDisabled is returned only to a caller who gave the right
	// password for a disabled account.
	ErrAccountDisabled = fmt.Errorf("%w: account disabled", ErrUnauthenticated)
	// ErrSessionExpired: the session passed its idle or absolute timeout.
	ErrSessionExpired = fmt.Errorf("%w: session expired", ErrUnauthenticated)
	// ErrSessionEnded: the session no longer exists (logged out, ended by a
	// password change or from the shell, or purged).
	ErrSessionEnded = fmt.Errorf("%w: session ended", ErrUnauthenticated)
	// ErrPasswordChangeRequired: the user must change the generated first
	// password before doing anything else.
	ErrPasswordChangeRequired = fmt.Errorf("%w: password change required", ErrForbidden)
	// ErrAuditTampered: Verify found a row altered, deleted or out of order.
	ErrAuditTampered = errors.New("audit log tampered")
)

// FieldError is an invalid input that names the offending field (a JSON
// key, a CSV column or a query parameter).
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Message // about the whole body (malformed JSON)
	}
	return e.Field + ": " + e.Message
}

// Unwrap makes errors.Is(err, ErrInvalid) hold.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// ErrorField returns the offending field.
func (e *FieldError) ErrorField() string { return e.Field }

// wrappedField attaches a field name to an error of any kind.
type wrappedField struct {
	field string
	err   error
}

func (e *wrappedField) Error() string      { return e.field + ": " + e.err.Error() }
func (e *wrappedField) Unwrap() error      { return e.err }
func (e *wrappedField) ErrorField() string { return e.field }

func invalidField(field, format string, args ...any) error {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// publicError is an error whose message is meant for the client as is.
type publicError struct {
	kind error
	msg  string
}

func (e *publicError) Error() string { return e.msg }
func (e *publicError) Unwrap() error { return e.kind }

// public returns an error of the given kind whose message the HTTP layer
// shows verbatim.
func public(kind error, format string, args ...any) error {
	return &publicError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// RateLimitError says how long the caller must wait before trying again.
type RateLimitError struct {
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%v: retry after %s", ErrRateLimited, e.RetryAfter.Round(time.Second))
}

// Unwrap makes errors.Is(err, ErrRateLimited) hold.
func (e *RateLimitError) Unwrap() error { return ErrRateLimited }
