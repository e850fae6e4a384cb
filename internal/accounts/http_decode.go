package accounts

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// maxJSONBody bounds JSON request bodies.
const maxJSONBody = 64 << 10

// decodeJSON reads one JSON object from r's body into dst. Every way a body
// can be wrong becomes an error wrapping ErrInvalid that names the field
// when there is one (or errUnsupportedMedia / *http.MaxBytesError), never a
// 500. Unknown fields are rejected so typos do not pass silently.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return fmt.Errorf("%w: Content-Type must be application/json", errUnsupportedMedia)
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return invalidField("", "unexpected data after the JSON object")
	}
	return nil
}

func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return fmt.Errorf("body larger than %d bytes: %w", tooBig.Limit, err)
	case errors.Is(err, io.EOF):
		return invalidField("", "request body is empty; want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalidField("", "malformed JSON: unexpected end of body")
	case errors.As(err, &syntax):
		return invalidField("", "malformed JSON at byte %d: %s", syntax.Offset, syntax.Error())
	case errors.As(err, &typ) && typ.Field == "":
		return invalidField("", "body must be a JSON object, not %s", typ.Value)
	case errors.As(err, &typ):
		return invalidField(typ.Field, "must be %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return invalidField(name, "unknown field")
	}
	return invalidField("", "malformed JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "int", "int64", "uint8", "uint32", "float64":
		return "a number"
	}
	return "a " + goKind
}
