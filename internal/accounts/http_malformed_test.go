package accounts

import (
	"net/http"
	"strings"
	"testing"
)

// snapshot is everything a bad request must leave untouched.
type snapshot struct {
	users, sessions, audit int
	hashes                 string
}

func (f *fixture) snapshot(t *testing.T) snapshot {
	t.Helper()
	var hashes string
	if err := f.db.QueryRow(`SELECT group_concat(password_hash || must_change_password || disabled || role || unit_code || display_name, '|') FROM users`).Scan(&hashes); err != nil {
		t.Fatal(err)
	}
	return snapshot{f.count(t, "users"), f.count(t, "sessions"), f.count(t, "audit_log"), hashes}
}

func TestMalformedBodies(t *testing.T) {
	f := newFixture(t)
	admin := f.httpLogin(t, "admin", adminPassword).Token
	const patch = "/api/v1/users/1"
	cases := []struct {
		name, method, path, body string
		status                   int
		field                    string
		msg                      string
	}{
		{"login empty body", "POST", "/api/v1/login", "", 400, "", "empty"},
		{"login truncated", "POST", "/api/v1/login", `{"username":"admin"`, 400, "", "unexpected end"},
		{"login syntax", "POST", "/api/v1/login", `{"username":admin}`, 400, "", "malformed JSON"},
		{"login array", "POST", "/api/v1/login", `["admin"]`, 400, "", "JSON object"},
		{"login string", "POST", "/api/v1/login", `"admin"`, 400, "", "JSON object"},
		{"login null", "POST", "/api/v1/login", `null`, 400, "username", "required"},
		{"login username number", "POST", "/api/v1/login", `{"username":42,"password":"x"}`, 400, "username", "string"},
		{"login password object", "POST", "/api/v1/login", `{"username":"admin","password":{}}`, 400, "password", "string"},
		{"login missing password", "POST", "/api/v1/login", `{"username":"admin"}`, 400, "password", "required"},
		{"login unknown field", "POST", "/api/v1/login", `{"username":"admin","password":"x","remember":true}`, 400, "remember", "unknown"},
		{"login trailing data", "POST", "/api/v1/login", `{"username":"admin","password":"x"} {}`, 400, "", "after"},
		{"login huge", "POST", "/api/v1/login", `{"username":"` + strings.Repeat("a", 70000) + `"}`, 413, "", "larger"},
		{"create role number", "POST", "/api/v1/users", `{"username":"x","role":1,"unit_code":"72"}`, 400, "role", "string"},
		{"create bad role", "POST", "/api/v1/users", `{"username":"xx","role":"mayor","unit_code":"72"}`, 400, "role", ""},
		{"create missing unit", "POST", "/api/v1/users", `{"username":"xx","role":"police"}`, 400, "unit_code", "required"},
		{"create bad username", "POST", "/api/v1/users", `{"username":"a b","role":"police","unit_code":"72"}`, 400, "username", ""},
		{"create short password", "POST", "/api/v1/users", `{"username":"abc","role":"police","unit_code":"72","password":"short"}`, 400, "password", "10"},
		{"patch disabled string", "PATCH", patch, `{"disabled":"yes"}`, 400, "disabled", "true or false"},
		{"patch reset number", "PATCH", patch, `{"reset_password":1}`, 400, "reset_password", "true or false"},
		{"patch bad role", "PATCH", patch, `{"role":"king"}`, 400, "role", ""},
		{"patch syntax", "PATCH", patch, `{"disabled":tru}`, 400, "", "malformed"},
		{"password missing new", "POST", "/api/v1/me/password", `{"old_password":"` + adminPassword + `"}`, 400, "new_password", "required"},
		{"password new number", "POST", "/api/v1/me/password", `{"old_password":"x","new_password":12345678901}`, 400, "new_password", "string"},
	}
	before := f.snapshot(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := f.do(t, req{method: c.method, path: c.path, body: c.body, bearer: admin})
			if w.Code != c.status {
				t.Fatalf("status %d, want %d: %s", w.Code, c.status, w.Body)
			}
			e := errorBody(t, w)
			if e.Field != c.field || !strings.Contains(e.Error, c.msg) {
				t.Fatalf("error %+v, want field %q message containing %q", e, c.field, c.msg)
			}
		})
	}
	if after := f.snapshot(t); after != before {
		t.Fatalf("malformed requests changed the database:\n%+v\n%+v", before, after)
	}
}

// FuzzLoginHandler: no body makes the login handler fail with a 5xx or
// answer anything but JSON, and only a 200 opens a session.
func FuzzLoginHandler(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `null`, `[]`, `{"username":"admin","password":"` + adminPassword + `"}`,
		`{"username":"admin","password":"x"}`, `{"username":1}`, `{"username":"\u0000"}`, `{"a":`,
		`{"username":"admin","password":"x","extra":[1,2,{}]}`, "\xff\xfe", `{"username":"` + strings.Repeat("é", 100) + `","password":"p"}`,
	} {
		f.Add(seed)
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, body string) {
		sessions := fx.count(t, "sessions")
		w := fx.do(t, req{method: "POST", path: "/api/v1/login", body: body})
		if w.Code >= 500 {
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body)
		}
		if !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("content type %q", w.Header().Get("Content-Type"))
		}
		grew := fx.count(t, "sessions") > sessions
		if grew != (w.Code == http.StatusOK) {
			t.Fatalf("status %d but sessions grew=%v", w.Code, grew)
		}
		if w.Code != http.StatusOK {
			errorBody(t, w)
		}
	})
}
