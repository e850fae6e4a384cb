package accounts

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestHTTPAdminAPI(t *testing.T) {
	f := newFixture(t)
	admin := f.httpLogin(t, "admin", adminPassword).Token
	police := f.createUser(t, "police-703", RolePolice, "703")
	policeToken := f.httpLogin(t, "police-703", "police-703-password").Token

	steps := []struct {
		name   string
		r      req
		status int
		want   string // substring of the body
	}{
		{"create user", req{method: "POST", path: "/api/v1/users",
			body: `{"username":"Ho.Chi","display_name":"Hồ Chí","role":"district","unit_code":"705","password":"a long enough one"}`},
			201, `"username":"ho.chi"`},
		{"duplicate username", req{method: "POST", path: "/api/v1/users",
			body: `{"username":"ho.chi","role":"district","unit_code":"705"}`}, 409, `"field":"username"`},
		{"role does not fit unit", req{method: "POST", path: "/api/v1/users",
			body: `{"username":"x1","role":"commune","unit_code":"705"}`}, 400, `"field":"role"`},
		{"unknown unit", req{method: "POST", path: "/api/v1/users",
			body: `{"username":"x2","role":"police","unit_code":"00000"}`}, 404, `"field":"unit_code"`},
		{"list users of 705", req{method: "GET", path: "/api/v1/users?unit=705"}, 200, `"ho.chi"`},
		{"reset password", req{method: "PATCH", path: fmt.Sprintf("/api/v1/users/%d", police.UserID),
			body: `{"reset_password":true}`}, 200, `"password":"`},
		{"disable", req{method: "PATCH", path: fmt.Sprintf("/api/v1/users/%d", police.UserID),
			body: `{"disabled":true}`}, 200, `"disabled":true`},
		{"no such user", req{method: "PATCH", path: "/api/v1/users/9999", body: `{"disabled":true}`}, 404, `not found`},
		{"non-numeric id", req{method: "PATCH", path: "/api/v1/users/abc", body: `{"disabled":true}`}, 404, `not found`},
		{"bulk as CSV", req{method: "POST", path: "/api/v1/units/705/commune-accounts?format=csv"}, 201, "unit_code,unit_name,username,password"},
		{"units", req{method: "GET", path: "/api/v1/units"}, 200, `"Thị xã Trảng Bàng"`},
		{"import", req{method: "POST", path: "/api/v1/units/import", contentType: "text/csv",
			body: "code,name,level,kind,parent_code\n99001,Phường Mới,commune,Phường,703\n"}, 200, `"created":1`},
		{"import bad", req{method: "POST", path: "/api/v1/units/import", contentType: "text/csv",
			body: "code,name,level,kind,parent_code\n99002,X,commune,,703\n99003,,commune,,nowhere\n"}, 400, `line 3: name`},
		{"audit", req{method: "GET", path: "/api/v1/audit?kind=user&unit=705&limit=5"}, 200, `"next_before"`},
		{"audit bad from", req{method: "GET", path: "/api/v1/audit?from=yesterday"}, 400, `"field":"from"`},
		{"audit date range", req{method: "GET", path: "/api/v1/audit?from=2025-03-01&to=2025-03-01&kind=login.success"}, 200, `"login.success"`},
		{"audit csv", req{method: "GET", path: "/api/v1/audit.csv?user=admin"}, 200, "id,at,kind,user_id"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.r.bearer = admin
			w := f.do(t, s.r)
			if w.Code != s.status || !strings.Contains(w.Body.String(), s.want) {
				t.Fatalf("%d %s\nwant %d containing %q", w.Code, w.Body, s.status, s.want)
			}
		})
	}
	// The police account was disabled: its token stopped working.
	if w := f.do(t, req{method: "GET", path: "/api/v1/me", bearer: policeToken}); w.Code != http.StatusUnauthorized {
		t.Fatalf("disabled user's token: %d", w.Code)
	}
	// Non-admins get 403 in scope, 404 outside.
	district := f.createUser(t, "viewer-703", RoleDistrict, "703")
	_ = district
	viewer := f.httpLogin(t, "viewer-703", "viewer-703-password").Token
	for _, c := range []struct {
		r      req
		status int
	}{
		{req{method: "GET", path: "/api/v1/users"}, 403},
		{req{method: "GET", path: "/api/v1/audit"}, 403},
		{req{method: "GET", path: "/api/v1/audit?unit=705"}, 404},
		{req{method: "POST", path: "/api/v1/units/705/commune-accounts"}, 404},
		{req{method: "POST", path: "/api/v1/units/import", body: "code,name,level,kind,parent_code\n"}, 403},
	} {
		c.r.bearer = viewer
		if w := f.do(t, c.r); w.Code != c.status {
			t.Errorf("%s %s: %d, want %d (%s)", c.r.method, c.r.path, w.Code, c.status, w.Body)
		}
	}
}

func TestHTTPAuditCSVDefusesFormulas(t *testing.T) {
	f := newFixture(t)
	admin := f.httpLogin(t, "admin", adminPassword).Token
	f.do(t, req{method: "POST", path: "/api/v1/login", body: `{"username":"=HYPERLINK(\"x\")","password":"whatever-123"}`})
	w := f.do(t, req{method: "GET", path: "/api/v1/audit.csv?kind=login.failure", bearer: admin})
	records, err := csv.NewReader(w.Body).ReadAll()
	if err != nil || len(records) != 2 {
		t.Fatalf("csv: %v %v", records, err)
	}
	if got := records[1][4]; !strings.HasPrefix(got, "'=") {
		t.Fatalf("username cell %q not defused", got)
	}
}
