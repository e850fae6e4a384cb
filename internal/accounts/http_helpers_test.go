package accounts

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vms-project/vms/internal/httpx"
)

// handler is the accounts API behind its middleware, as the server mounts it.
func (f *fixture) handler() http.Handler {
	mux := http.NewServeMux()
	NewHandlers(f.svc, slog.New(slog.NewTextHandler(io.Discard, nil))).Routes(mux)
	return f.svc.Middleware(mux)
}

// req describes one request to the API.
type req struct {
	method, path, body string
	contentType        string
	bearer             string
	cookie             string
	csrf               string
	header             map[string]string
}

func (f *fixture) do(t testing.TB, r req) *httptest.ResponseRecorder {
	t.Helper()
	hr := httptest.NewRequest(r.method, r.path, strings.NewReader(r.body))
	hr.RemoteAddr = "192.0.2.50:40000"
	if r.contentType != "" {
		hr.Header.Set("Content-Type", r.contentType)
	}
	if r.bearer != "" {
		hr.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	if r.cookie != "" {
		hr.AddCookie(&http.Cookie{Name: CookieName, Value: r.cookie})
	}
	if r.csrf != "" {
		hr.Header.Set(CSRFHeader, r.csrf)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	f.handler().ServeHTTP(w, hr)
	return w
}

// httpLogin logs in over HTTP and returns the decoded response.
func (f *fixture) httpLogin(t *testing.T, user, password string) LoginResponse {
	t.Helper()
	w := f.do(t, req{method: "POST", path: "/api/v1/login", contentType: "application/json",
		body: `{"username":"` + user + `","password":"` + password + `"}`})
	if w.Code != http.StatusOK {
		t.Fatalf("login %s: %d %s", user, w.Code, w.Body)
	}
	var resp LoginResponse
	decodeBody(t, w, &resp)
	return resp
}

func decodeBody(t testing.TB, w *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatalf("body %q: %v", w.Body, err)
	}
}

func errorBody(t testing.TB, w *httptest.ResponseRecorder) httpx.ErrorBody {
	t.Helper()
	var e httpx.ErrorBody
	decodeBody(t, w, &e)
	if e.Error == "" {
		t.Fatalf("error body without message: %s", w.Body)
	}
	return e
}
