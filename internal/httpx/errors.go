// Package httpx holds the JSON response helpers and the error kinds that
// every feature package's handlers share. The kinds live here, not in a
// feature package, because feature packages never import each other: the
// accounts package and the camera package both return ErrForbidden, and
// WriteError maps it the same way for both.
package httpx

import (
	"errors"
	"net/http"
)

// Error kinds. Wrap them with context (fmt.Errorf("camera %d: %w", id,
// httpx.ErrNotFound)); WriteError picks the status with errors.Is.
var (
	ErrInvalid      = errors.New("invalid request")
	ErrUnauthorized = errors.New("authentication required")
	ErrForbidden    = errors.New("forbidden")
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("conflict")
)

// kinds is the one table from error kind to HTTP status.
var kinds = []struct {
	err    error
	status int
}{
	{ErrInvalid, http.StatusBadRequest},
	{ErrUnauthorized, http.StatusUnauthorized},
	{ErrForbidden, http.StatusForbidden},
	{ErrNotFound, http.StatusNotFound},
	{ErrConflict, http.StatusConflict},
}

// Status returns the HTTP status for err: the first matching kind, else 500.
func Status(err error) int {
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			return k.status
		}
	}
	return http.StatusInternalServerError
}

// FieldError is implemented by errors that concern one request field; WriteError
// reports that field as "field" in the body.
type FieldError interface {
	error
	ErrorField() string
}

// FieldsError is implemented by errors that concern several fields (a
// validation error); WriteError reports them as "fields".
type FieldsError interface {
	error
	ErrorFields() []Field
}

// Field names one invalid field and why.
type Field struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ErrorBody is the JSON shape of every error answer.
type ErrorBody struct {
	Error  string  `json:"error"`
	Field  string  `json:"field,omitempty"`
	Fields []Field `json:"fields,omitempty"`
}

// WriteError answers with err's status and an ErrorBody. The message of an
// unclassified (500) error is replaced by a generic one: internal errors may
// carry SQL or paths, and the caller is expected to have logged them.
func WriteError(w http.ResponseWriter, err error) {
	status := Status(err)
	body := ErrorBody{Error: err.Error()}
	if status == http.StatusInternalServerError {
		body.Error = "internal server error"
	}
	if fe, ok := errors.AsType[FieldsError](err); ok && status != http.StatusInternalServerError {
		body.Fields = fe.ErrorFields()
		if len(body.Fields) > 0 {
			body.Field = body.Fields[0].Field
		}
	}
	if fe, ok := errors.AsType[FieldError](err); ok && body.Field == "" && status != http.StatusInternalServerError {
		body.Field = fe.ErrorField()
	}
	WriteJSON(w, status, body)
}
