package accounts

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/vms-project/vms/internal/httpx"
)

// errUnsupportedMedia is a body of the wrong Content-Type.
var errUnsupportedMedia = errors.New("unsupported media type")

// StatusOf maps an error of this package to its HTTP status: the one table
// of error kinds to codes. Unknown errors are 500.
func StatusOf(err error) int {
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return http.StatusOK
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, errUnsupportedMedia):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, ErrRateLimited):
		return http.StatusTooManyRequests
	case errors.Is(err, ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, ErrUnauthenticated):
		return http.StatusUnauthorized
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, ErrConflict):
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// WriteError answers err as httpx.ErrorBody ({"error","field","fields"})
// with StatusOf's code, a Retry-After header for rate limits, one entry in
// "fields" per problem of a multi-error (e.g. per CSV line), and a generic
// message for internal errors (which are logged instead).
func WriteError(w http.ResponseWriter, log *slog.Logger, err error) {
	status := StatusOf(err)
	body := httpx.ErrorBody{Error: publicMessage(err, status)}
	var named httpx.FieldError
	if errors.As(err, &named) {
		body.Field = named.ErrorField()
	}
	var multi interface{ Unwrap() []error }
	if errors.As(err, &multi) && status == http.StatusBadRequest {
		for _, e := range multi.Unwrap() {
			f := httpx.Field{Message: e.Error()}
			var named httpx.FieldError
			if errors.As(e, &named) {
				f.Field = named.ErrorField()
			}
			body.Fields = append(body.Fields, f)
		}
	}
	var rl *RateLimitError
	if errors.As(err, &rl) {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(rl.RetryAfter.Seconds()))))
	}
	if status == http.StatusInternalServerError {
		log.Error("request failed", "err", err)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="vms"`)
	}
	writeJSON(w, status, body)
}

func publicMessage(err error, status int) string {
	for _, known := range []error{ErrInvalidCredentials, ErrAccountDisabled, ErrSessionExpired, ErrPasswordChangeRequired} {
		if errors.Is(err, known) {
			_, msg, _ := strings.Cut(known.Error(), ": ") // drop the kind
			return msg
		}
	}
	var pub *publicError
	if errors.As(err, &pub) {
		return pub.msg
	}
	switch status {
	case http.StatusBadRequest, http.StatusConflict, http.StatusTooManyRequests, http.StatusRequestEntityTooLarge,
		http.StatusUnsupportedMediaType:
		msg := strings.ReplaceAll(err.Error(), "accounts: ", "")
		return strings.ReplaceAll(msg, "\n", "; ")
	case http.StatusUnauthorized:
		return "authentication required"
	case http.StatusNotFound:
		return "not found"
	case http.StatusForbidden:
		return "not allowed for your role"
	}
	return "internal error"
}

// writeJSON answers v as JSON with status; account responses (tokens,
// passwords) are never cached.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, status, v)
}
