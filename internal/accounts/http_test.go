package accounts

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHTTPLoginCookie(t *testing.T) {
	f := newFixture(t)
	for _, useTLS := range []bool{false, true} {
		hr := httptest.NewRequest("POST", "/api/v1/login", strings.NewReader(`{"username":"admin","password":"`+adminPassword+`"}`))
		if useTLS {
			hr.TLS = &tls.ConnectionState{}
		}
		w := httptest.NewRecorder()
		f.handler().ServeHTTP(w, hr)
		if w.Code != http.StatusOK {
			t.Fatalf("login: %d %s", w.Code, w.Body)
		}
		var resp LoginResponse
		decodeBody(t, w, &resp)
		c := w.Result().Cookies()
		if len(c) != 1 || c[0].Name != CookieName || c[0].Value != resp.Token || !c[0].HttpOnly ||
			c[0].SameSite != http.SameSiteStrictMode || c[0].Secure != useTLS {
			t.Fatalf("tls=%v cookie %+v", useTLS, c)
		}
		if resp.User.Username != "admin" || resp.CSRFToken == "" || resp.MustChangePassword {
			t.Fatalf("response %+v", resp)
		}
		if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
			t.Fatalf("Cache-Control %q", cc)
		}
	}
}

func TestHTTPAuthAndCSRF(t *testing.T) {
	f := newFixture(t)
	login := f.httpLogin(t, "admin", adminPassword)
	const body = `{"display_name":"Quản trị"}`
	cases := []struct {
		name   string
		r      req
		status int
		field  string
	}{
		{"anonymous API", req{method: "GET", path: "/api/v1/me"}, 401, ""},
		{"anonymous non-API passes through", req{method: "GET", path: "/static/app.js"}, 404, ""},
		{"bad bearer", req{method: "GET", path: "/api/v1/me", bearer: "nope"}, 401, ""},
		{"cookie GET needs no CSRF", req{method: "GET", path: "/api/v1/me", cookie: login.Token}, 200, ""},
		{"cookie PATCH without CSRF", req{method: "PATCH", path: "/api/v1/users/1", body: body, cookie: login.Token}, 403, CSRFHeader},
		{"cookie PATCH wrong CSRF", req{method: "PATCH", path: "/api/v1/users/1", body: body, cookie: login.Token, csrf: "x" + login.CSRFToken}, 403, CSRFHeader},
		{"cookie PATCH session token as CSRF", req{method: "PATCH", path: "/api/v1/users/1", body: body, cookie: login.Token, csrf: login.Token}, 403, CSRFHeader},
		{"cookie PATCH with CSRF", req{method: "PATCH", path: "/api/v1/users/1", body: body, cookie: login.Token, csrf: login.CSRFToken}, 200, ""},
		{"bearer PATCH is exempt", req{method: "PATCH", path: "/api/v1/users/1", body: body, bearer: login.Token}, 200, ""},
		{"cross-site cookie PATCH even with CSRF", req{method: "PATCH", path: "/api/v1/users/1", body: body, cookie: login.Token,
			csrf: login.CSRFToken, header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, 403, ""},
		{"cross-site login", req{method: "POST", path: "/api/v1/login", body: `{"username":"admin","password":"` + adminPassword + `"}`,
			header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, 403, ""},
		{"login with a live cookie and no CSRF header", req{method: "POST", path: "/api/v1/login", cookie: login.Token,
			body: `{"username":"admin","password":"` + adminPassword + `"}`}, 200, ""},
		{"page with cookie gets through", req{method: "GET", path: "/cameras", cookie: login.Token}, 404, ""},
		{"form-encoded login", req{method: "POST", path: "/api/v1/login", body: "username=admin",
			contentType: "application/x-www-form-urlencoded"}, 415, ""},
		{"same-origin cookie PATCH with CSRF", req{method: "PATCH", path: "/api/v1/users/1", body: body, cookie: login.Token,
			csrf: login.CSRFToken, header: map[string]string{"Sec-Fetch-Site": "same-origin"}}, 200, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := f.do(t, c.r)
			if w.Code != c.status {
				t.Fatalf("status %d, want %d: %s", w.Code, c.status, w.Body)
			}
			if c.status >= 400 && strings.HasPrefix(c.r.path, "/api/") {
				if e := errorBody(t, w); e.Field != c.field {
					t.Fatalf("field %q, want %q (%s)", e.Field, c.field, w.Body)
				}
			}
		})
	}
	// The CSRF token is also available from /me for a page loaded later.
	var me MeResponse
	decodeBody(t, f.do(t, req{method: "GET", path: "/api/v1/me", cookie: login.Token}), &me)
	if me.CSRFToken != login.CSRFToken || len(me.Permissions) != len(Actions()) || me.Unit.Code != "72" {
		t.Fatalf("me = %+v", me)
	}
}

func TestHTTPRateLimit(t *testing.T) {
	f := newFixture(t)
	for range 5 {
		w := f.do(t, req{method: "POST", path: "/api/v1/login", body: `{"username":"admin","password":"not the password"}`})
		if w.Code != http.StatusUnauthorized || errorBody(t, w).Error != "invalid username or password" {
			t.Fatalf("failure: %d %s", w.Code, w.Body)
		}
	}
	w := f.do(t, req{method: "POST", path: "/api/v1/login", body: `{"username":"admin","password":"` + adminPassword + `"}`})
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "60" {
		t.Fatalf("locked: %d Retry-After %q %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
}

func TestHTTPLogoutAndExpiredCookie(t *testing.T) {
	f := newFixture(t)
	login := f.httpLogin(t, "admin", adminPassword)
	w := f.do(t, req{method: "POST", path: "/api/v1/logout", cookie: login.Token, csrf: login.CSRFToken})
	if w.Code != http.StatusNoContent || len(w.Result().Cookies()) != 1 || w.Result().Cookies()[0].MaxAge >= 0 {
		t.Fatalf("logout: %d %v", w.Code, w.Result().Cookies())
	}
	w = f.do(t, req{method: "GET", path: "/api/v1/me", cookie: login.Token})
	if w.Code != http.StatusUnauthorized || len(w.Result().Cookies()) != 1 {
		t.Fatalf("after logout: %d, cookies %v", w.Code, w.Result().Cookies())
	}
}

func TestHTTPMustChangePassword(t *testing.T) {
	f := newFixture(t)
	admin := f.httpLogin(t, "admin", adminPassword)
	w := f.do(t, req{method: "POST", path: "/api/v1/users", bearer: admin.Token,
		body: `{"username":"canbo","role":"commune","unit_code":"25459"}`})
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	var created struct {
		User     User
		Password string
	}
	decodeBody(t, w, &created)
	login := f.httpLogin(t, "canbo", created.Password)
	if !login.MustChangePassword {
		t.Fatal("must_change_password not set")
	}
	if w := f.do(t, req{method: "GET", path: "/api/v1/units", bearer: login.Token}); w.Code != http.StatusForbidden {
		t.Fatalf("units before change: %d", w.Code)
	}
	w = f.do(t, req{method: "POST", path: "/api/v1/me/password", bearer: login.Token,
		body: `{"old_password":"` + created.Password + `","new_password":"mật khẩu mới 2025"}`})
	if w.Code != http.StatusNoContent {
		t.Fatalf("change: %d %s", w.Code, w.Body)
	}
	w = f.do(t, req{method: "GET", path: "/api/v1/units", bearer: login.Token})
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"25459"`) || strings.Contains(w.Body.String(), `"25456"`) {
		t.Fatalf("units after change: %d %s", w.Code, w.Body)
	}
}
