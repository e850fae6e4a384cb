package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
)

// MaxBodyBytes bounds every JSON request body DecodeJSON reads.
const MaxBodyBytes = 1 << 20

// WriteJSON answers with status and v encoded as JSON. v is marshalled before
// the header is written so a marshalling bug still yields a clean 500.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":"internal server error"}`, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// RequestError is a client mistake in a request body; it wraps ErrInvalid
// and names the offending field when one is known.
type RequestError struct {
	Field   string
	Message string
}

// Error returns the message, which is meant for the API client.
func (e *RequestError) Error() string { return e.Message }

// ErrorField returns the JSON field at fault, "" if the whole body is.
func (e *RequestError) ErrorField() string { return e.Field }

// Unwrap makes a RequestError an ErrInvalid (400).
func (e *RequestError) Unwrap() error { return ErrInvalid }

// DecodeJSON decodes exactly one JSON value from r's body into dst. It
// requires a JSON Content-Type (application/json or any +json type, such as
// application/merge-patch+json), rejects unknown fields and bodies over
// MaxBodyBytes, and returns every client mistake as a *RequestError so that
// WriteError answers 400 instead of 500.
func DecodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return &RequestError{Message: "Content-Type must be application/json"}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			return decodeError(err)
		}
		return &RequestError{Message: "request body must contain a single JSON value"}
	}
	return nil
}

// decodeError turns encoding/json's errors into messages for API clients.
func decodeError(err error) error {
	if e, ok := errors.AsType[*json.SyntaxError](err); ok {
		return &RequestError{Message: fmt.Sprintf("malformed JSON at byte %d", e.Offset)}
	}
	if e, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		if e.Field == "" {
			return &RequestError{Message: fmt.Sprintf("request body must be a JSON %s, got %s", jsonType(e.Type), e.Value)}
		}
		return &RequestError{Field: e.Field, Message: fmt.Sprintf("%s: must be a JSON %s, got %s", e.Field, jsonType(e.Type), e.Value)}
	}
	if e, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return &RequestError{Message: fmt.Sprintf("request body larger than %d bytes", e.Limit)}
	}
	if _, ok := errors.AsType[*json.InvalidUnmarshalError](err); ok {
		return err // a programming error: 500
	}
	switch {
	case errors.Is(err, io.EOF):
		return &RequestError{Message: "request body is empty"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &RequestError{Message: "malformed JSON: unexpected end of body"}
	}
	// encoding/json has no type for unknown fields; its message is stable.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if f, uerr := strconv.Unquote(name); uerr == nil {
			name = f
		}
		return &RequestError{Field: name, Message: fmt.Sprintf("%s: unknown field", name)}
	}
	return &RequestError{Message: "invalid JSON body: " + err.Error()}
}

// jsonType names a Go type the way an API client thinks of it.
func jsonType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	default:
		return "object"
	}
}
