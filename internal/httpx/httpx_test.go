package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type sample struct {
	Name  *string `json:"name"`
	Count *int    `json:"count"`
	On    *bool   `json:"on"`
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		wantErr     string // "" = success
		wantField   string
	}{
		{"ok", "application/json", `{"name":"a","count":2}`, "", ""},
		{"charset param ok", "application/json; charset=utf-8", `{}`, "", ""},
		{"merge patch ok", "application/merge-patch+json", `{"on":true}`, "", ""},
		{"no content type", "", `{}`, "Content-Type must be application/json", ""},
		{"form content type", "application/x-www-form-urlencoded", `{}`, "Content-Type must be application/json", ""},
		{"empty body", "application/json", ``, "request body is empty", ""},
		{"syntax", "application/json", `{"name":}`, "malformed JSON at byte", ""},
		{"truncated", "application/json", `{"name":"a"`, "malformed JSON", ""},
		{"unknown field", "application/json", `{"nmae":"a"}`, "nmae: unknown field", "nmae"},
		{"wrong type", "application/json", `{"count":"two"}`, "count: must be a JSON number, got string", "count"},
		{"wrong bool", "application/json", `{"on":1}`, "on: must be a JSON boolean", "on"},
		{"array body", "application/json", `[1]`, "request body must be a JSON object", ""},
		{"two values", "application/json", `{} {}`, "single JSON value", ""},
		{"too large", "application/json", `{"name":"` + strings.Repeat("x", MaxBodyBytes) + `"}`, "larger than", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.body))
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			w := httptest.NewRecorder()
			var dst sample
			err := DecodeJSON(w, r, &dst)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if Status(err) != http.StatusBadRequest {
				t.Errorf("status = %d, want 400", Status(err))
			}
			WriteError(w, err)
			var body ErrorBody
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if w.Code != http.StatusBadRequest || body.Field != tt.wantField {
				t.Errorf("answer %d %+v, want 400 field %q", w.Code, body, tt.wantField)
			}
		})
	}
}

type fieldsErr struct{}

func (fieldsErr) Error() string { return "name: required; unit_code: required" }
func (fieldsErr) Unwrap() error { return ErrInvalid }
func (fieldsErr) ErrorFields() []Field {
	return []Field{{"name", "required"}, {"unit_code", "required"}}
}

func TestWriteError(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		status    int
		message   string
		field     string
		numFields int
	}{
		{"not found", fmt.Errorf("camera 3: %w", ErrNotFound), 404, "camera 3: not found", "", 0},
		{"unauthorized", ErrUnauthorized, 401, "authentication required", "", 0},
		{"forbidden", fmt.Errorf("unit X: %w", ErrForbidden), 403, "unit X: forbidden", "", 0},
		{"conflict", fmt.Errorf("dup: %w", ErrConflict), 409, "dup: conflict", "", 0},
		{"fields", fmt.Errorf("wrap: %w", fieldsErr{}), 400, "wrap: name: required; unit_code: required", "name", 2},
		{"internal hides details", errors.New("sql: database is locked at /var/lib/x"), 500, "internal server error", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			WriteError(w, tt.err)
			var body ErrorBody
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if w.Code != tt.status || body.Error != tt.message || body.Field != tt.field || len(body.Fields) != tt.numFields {
				t.Errorf("got %d %+v", w.Code, body)
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}
