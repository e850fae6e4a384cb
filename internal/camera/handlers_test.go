package camera

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/vms-project/vms/internal/httpx"
)

// fakeAuth reads the user from X-User: "" is anonymous, "admin" may do
// anything, "viewer" may list and view unit U1 only, "hider" is a viewer
// who gets 404 instead of 403 outside U1.
func fakeAuth(r *http.Request, action string, cam *Camera) error {
	user := r.Header.Get("X-User")
	switch {
	case user == "":
		return ErrUnauthorized
	case user == "admin":
		return nil
	case action != ActionList && action != ActionView:
		return fmt.Errorf("%s may not %s: %w", user, action, ErrForbidden)
	case cam != nil && cam.UnitCode != "U1" && user == "hider":
		return fmt.Errorf("camera %d: %w", cam.ID, ErrNotFound)
	case cam != nil && cam.UnitCode != "U1":
		return fmt.Errorf("unit %s: %w", cam.UnitCode, ErrForbidden)
	}
	return nil
}

type apiFixture struct {
	store   *Store
	mux     *http.ServeMux
	changed []int64
	deleted []int64
	audited []string // "action id"
	cam1    Camera   // U1, credentials given in the URL
	cam2    Camera   // U2
}

func newAPI(t testing.TB) *apiFixture {
	t.Helper()
	s, _ := newStore(t)
	f := &apiFixture{store: s, mux: http.NewServeMux()}
	f.cam1 = mustCreate(t, s, Camera{Name: "Cổng", UnitCode: "U1", RTSPURL: "rtsp://admin:" + url.PathEscape(awkward) + "@10.0.0.1/live"})
	f.cam2 = mustCreate(t, s, Camera{Name: "Kho", UnitCode: "U2", RTSPURL: "rtsp://10.0.0.2/live", Enabled: true})
	Routes(f.mux, &Handlers{
		Store:     s,
		Status:    func(id int64) any { return map[string]any{"state": "live", "viewers": id} },
		OnChange:  func(_ context.Context, c Camera) { f.changed = append(f.changed, c.ID) },
		OnDelete:  func(_ context.Context, id int64) { f.deleted = append(f.deleted, id) },
		Authorize: fakeAuth,
		Audit: func(_ context.Context, action string, c Camera) {
			f.audited = append(f.audited, fmt.Sprintf("%s %d", action, c.ID))
		},
	})
	return f
}

func (f *apiFixture) do(method, path, user, contentType, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if user != "" {
		r.Header.Set("X-User", user)
	}
	w := httptest.NewRecorder()
	f.mux.ServeHTTP(w, r)
	return w
}

// assertNoPassword fails if a response could reveal a camera password.
func assertNoPassword(t *testing.T, body string) {
	t.Helper()
	for _, s := range []string{awkward, url.PathEscape(awkward), url.QueryEscape(awkward), `"password":`, "hunter2"} {
		if strings.Contains(body, s) {
			t.Fatalf("response leaks %q: %s", s, body)
		}
	}
}

const jsonCT = "application/json"

func TestHandlers(t *testing.T) {
	type check func(t *testing.T, f *apiFixture, w *httptest.ResponseRecorder)
	tests := []struct {
		name, method, path, user, ct, body string
		status                             int
		field                              string // expected "field" of a 4xx answer
		changes                            bool   // may the table change?
		check                              check
	}{
		{name: "list as admin", method: "GET", path: "/api/v1/cameras", user: "admin", status: 200, check: func(t *testing.T, f *apiFixture, w *httptest.ResponseRecorder) {
			var got struct{ Cameras []map[string]any }
			mustJSON(t, w, &got)
			if len(got.Cameras) != 2 {
				t.Fatalf("cameras = %v", got.Cameras)
			}
			c := got.Cameras[0]
			if c["rtsp_url"] != "rtsp://10.0.0.1/live" || c["username"] != "admin" || c["has_password"] != true {
				t.Errorf("camera = %v", c)
			}
			if st, _ := c["status"].(map[string]any); st["state"] != "live" {
				t.Errorf("status = %v", c["status"])
			}
			for _, k := range []string{"id", "name", "unit_code", "rtsp_url", "substream_url", "username", "has_password", "transport", "on_demand", "tls_fingerprint", "enabled", "created_at", "updated_at", "status"} {
				if _, ok := c[k]; !ok {
					t.Errorf("missing key %q", k)
				}
			}
		}},
		{name: "list filtered by scope", method: "GET", path: "/api/v1/cameras", user: "viewer", status: 200, check: wantNames("Cổng")},
		{name: "list filtered by query", method: "GET", path: "/api/v1/cameras?unit_code=U2", user: "admin", status: 200, check: wantNames("Kho")},
		{name: "list enabled filter", method: "GET", path: "/api/v1/cameras?enabled=false", user: "admin", status: 200, check: wantNames("Cổng")},
		{name: "list bad enabled", method: "GET", path: "/api/v1/cameras?enabled=maybe", user: "admin", status: 400, field: "enabled"},
		{name: "list anonymous", method: "GET", path: "/api/v1/cameras", status: 401},

		{name: "get", method: "GET", path: "/api/v1/cameras/1", user: "viewer", status: 200},
		{name: "get out of scope", method: "GET", path: "/api/v1/cameras/2", user: "viewer", status: 403},
		{name: "get out of scope hidden", method: "GET", path: "/api/v1/cameras/2", user: "hider", status: 404},
		{name: "get missing", method: "GET", path: "/api/v1/cameras/99", user: "admin", status: 404},
		{name: "get missing anonymous is 401", method: "GET", path: "/api/v1/cameras/99", status: 401},
		{name: "get bad id", method: "GET", path: "/api/v1/cameras/abc", user: "admin", status: 400, field: "id"},
		{name: "get zero id", method: "GET", path: "/api/v1/cameras/0", user: "admin", status: 400, field: "id"},

		{name: "create", method: "POST", path: "/api/v1/cameras", user: "admin", ct: jsonCT, changes: true, status: 201,
			body: `{"name":"Chợ","unit_code":"U1","rtsp_url":"rtsp://10.0.0.3/live","username":"u","password":"` + jsonEsc(awkward) + `"}`,
			check: func(t *testing.T, f *apiFixture, w *httptest.ResponseRecorder) {
				var got cameraJSON
				mustJSON(t, w, &got)
				if w.Header().Get("Location") != fmt.Sprintf("/api/v1/cameras/%d", got.ID) {
					t.Errorf("Location = %q", w.Header().Get("Location"))
				}
				if !got.HasPassword || !got.OnDemand || !got.Enabled || got.Transport != "auto" {
					t.Errorf("defaults: %+v", got)
				}
				if c, _ := f.store.Get(context.Background(), got.ID); c.Password != awkward {
					t.Errorf("stored password = %q", c.Password)
				}
				if len(f.changed) != 1 || f.changed[0] != got.ID {
					t.Errorf("OnChange calls = %v", f.changed)
				}
			}},
		{name: "create with credentials in URL", method: "POST", path: "/api/v1/cameras", user: "admin", ct: jsonCT, changes: true, status: 201,
			body: `{"name":"Chợ","unit_code":"U1","rtsp_url":"rtsp://root:` + url.PathEscape(awkward) + `@10.0.0.3/live"}`,
			check: func(t *testing.T, f *apiFixture, w *httptest.ResponseRecorder) {
				var got cameraJSON
				mustJSON(t, w, &got)
				if got.RTSPURL != "rtsp://10.0.0.3/live" || got.Username != "root" || !got.HasPassword {
					t.Errorf("got %+v", got)
				}
			}},
		{name: "create merge-patch content type", method: "POST", path: "/api/v1/cameras", user: "admin", ct: "application/json; charset=utf-8", changes: true, status: 201,
			body: `{"name":"Chợ","unit_code":"U1","rtsp_url":"rtsp://10.0.0.3/live","on_demand":false,"transport":"TCP"}`},
		{name: "create forbidden", method: "POST", path: "/api/v1/cameras", user: "viewer", ct: jsonCT, status: 403,
			body: `{"name":"Chợ","unit_code":"U1","rtsp_url":"rtsp://10.0.0.3/live"}`},
		{name: "create duplicate", method: "POST", path: "/api/v1/cameras", user: "admin", ct: jsonCT, status: 409,
			body: `{"name":"Cổng","unit_code":"U1","rtsp_url":"rtsp://10.0.0.3/live"}`},
		{name: "create invalid", method: "POST", path: "/api/v1/cameras", user: "admin", ct: jsonCT, status: 400, field: "name",
			body: `{"unit_code":"U1","rtsp_url":"ftp://x","transport":"quic"}`},
		{name: "create bad URL with password", method: "POST", path: "/api/v1/cameras", user: "admin", ct: jsonCT, status: 400, field: "rtsp_url",
			body: `{"name":"x","unit_code":"U1","rtsp_url":"rtsp://admin:hunter2#x@h/"}`},
		{name: "create wrong content type", method: "POST", path: "/api/v1/cameras", user: "admin", ct: "text/plain", status: 400, body: `{"name":"x"}`},
		{name: "create no content type", method: "POST", path: "/api/v1/cameras", user: "admin", status: 400, body: `{"name":"x"}`},
		{name: "create malformed", method: "POST", path: "/api/v1/cameras", user: "admin", ct: jsonCT, status: 400, body: `{"name":`},
		{name: "create empty body", method: "POST", path: "/api/v1/cameras", user: "admin", ct: jsonCT, status: 400},
		{name: "create unknown field", method: "POST", path: "/api/v1/cameras", user: "admin", ct: jsonCT, status: 400, field: "id", body: `{"id":5,"name":"x"}`},
		{name: "create has_password is read-only", method: "POST", path: "/api/v1/cameras", user: "admin", ct: jsonCT, status: 400, field: "has_password", body: `{"has_password":true}`},
		{name: "create wrong type", method: "POST", path: "/api/v1/cameras", user: "admin", ct: jsonCT, status: 400, field: "on_demand", body: `{"name":"x","unit_code":"U1","rtsp_url":"rtsp://h/x","on_demand":"yes"}`},
		{name: "create array body", method: "POST", path: "/api/v1/cameras", user: "admin", ct: jsonCT, status: 400, body: `[{"name":"x"}]`},
		{name: "create trailing data", method: "POST", path: "/api/v1/cameras", user: "admin", ct: jsonCT, status: 400, body: `{"name":"x","unit_code":"U1","rtsp_url":"rtsp://h/x"} {}`},
		{name: "create too large", method: "POST", path: "/api/v1/cameras", user: "admin", ct: jsonCT, status: 400, body: `{"name":"` + strings.Repeat("a", httpx.MaxBodyBytes) + `"}`},

		{name: "patch", method: "PATCH", path: "/api/v1/cameras/1", user: "admin", ct: jsonCT, changes: true, status: 200, body: `{"name":"Cổng chính","enabled":true}`,
			check: func(t *testing.T, f *apiFixture, w *httptest.ResponseRecorder) {
				var got cameraJSON
				mustJSON(t, w, &got)
				if got.Name != "Cổng chính" || !got.Enabled || !got.HasPassword || got.Username != "admin" {
					t.Errorf("got %+v", got)
				}
				if len(f.changed) != 1 || f.changed[0] != 1 {
					t.Errorf("OnChange calls = %v", f.changed)
				}
			}},
		{name: "patch clears password", method: "PATCH", path: "/api/v1/cameras/1", user: "admin", ct: "application/merge-patch+json", changes: true, status: 200, body: `{"password":""}`,
			check: func(t *testing.T, f *apiFixture, w *httptest.ResponseRecorder) {
				var got cameraJSON
				mustJSON(t, w, &got)
				if got.HasPassword || got.Username != "admin" {
					t.Errorf("got %+v", got)
				}
			}},
		{name: "patch null is unchanged", method: "PATCH", path: "/api/v1/cameras/1", user: "admin", ct: jsonCT, changes: true, status: 200, body: `{"password":null}`,
			check: func(t *testing.T, f *apiFixture, w *httptest.ResponseRecorder) {
				var got cameraJSON
				mustJSON(t, w, &got)
				if !got.HasPassword {
					t.Errorf("got %+v", got)
				}
			}},
		{name: "patch missing", method: "PATCH", path: "/api/v1/cameras/99", user: "admin", ct: jsonCT, status: 404, body: `{}`},
		{name: "patch forbidden", method: "PATCH", path: "/api/v1/cameras/1", user: "viewer", ct: jsonCT, status: 403, body: `{"name":"x"}`},
		{name: "patch invalid", method: "PATCH", path: "/api/v1/cameras/1", user: "admin", ct: jsonCT, status: 400, field: "transport", body: `{"transport":"quic"}`},
		{name: "patch empty name", method: "PATCH", path: "/api/v1/cameras/1", user: "admin", ct: jsonCT, status: 400, field: "name", body: `{"name":"  "}`},
		{name: "patch rename onto other", method: "PATCH", path: "/api/v1/cameras/2", user: "admin", ct: jsonCT, status: 409, body: `{"name":"Cổng","unit_code":"U1"}`},
		{name: "patch unknown field", method: "PATCH", path: "/api/v1/cameras/1", user: "admin", ct: jsonCT, status: 400, field: "nmae", body: `{"nmae":"x"}`},
		{name: "patch wrong type", method: "PATCH", path: "/api/v1/cameras/1", user: "admin", ct: jsonCT, status: 400, field: "enabled", body: `{"enabled":"false"}`},
		{name: "patch malformed", method: "PATCH", path: "/api/v1/cameras/1", user: "admin", ct: jsonCT, status: 400, body: `{"name":"x",}`},
		{name: "patch wrong content type", method: "PATCH", path: "/api/v1/cameras/1", user: "admin", ct: "application/x-www-form-urlencoded", status: 400, body: `name=x`},
		{name: "patch too large", method: "PATCH", path: "/api/v1/cameras/1", user: "admin", ct: jsonCT, status: 400, body: `{"name":"` + strings.Repeat("a", httpx.MaxBodyBytes) + `"}`},

		{name: "delete", method: "DELETE", path: "/api/v1/cameras/2", user: "admin", changes: true, status: 204,
			check: func(t *testing.T, f *apiFixture, w *httptest.ResponseRecorder) {
				if len(f.deleted) != 1 || f.deleted[0] != 2 || w.Body.Len() != 0 {
					t.Errorf("OnDelete calls = %v, body %q", f.deleted, w.Body)
				}
				if _, err := f.store.Get(context.Background(), 2); httpx.Status(err) != 404 {
					t.Errorf("still there: %v", err)
				}
			}},
		{name: "delete missing", method: "DELETE", path: "/api/v1/cameras/99", user: "admin", status: 404},
		{name: "delete forbidden", method: "DELETE", path: "/api/v1/cameras/1", user: "viewer", status: 403},
		{name: "delete anonymous", method: "DELETE", path: "/api/v1/cameras/1", status: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newAPI(t)
			before := dump(t, f.store.db)
			w := f.do(tt.method, tt.path, tt.user, tt.ct, tt.body)
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.status, w.Body)
			}
			assertNoPassword(t, w.Body.String())
			if w.Code >= 400 {
				var e httpx.ErrorBody
				mustJSON(t, w, &e)
				if e.Error == "" || e.Field != tt.field {
					t.Errorf("error body %+v, want field %q", e, tt.field)
				}
			}
			if !tt.changes {
				if after := dump(t, f.store.db); after != before {
					t.Errorf("table changed:\n%s\n%s", before, after)
				}
				if len(f.changed)+len(f.deleted)+len(f.audited) != 0 {
					t.Errorf("hooks called: %v %v %v", f.changed, f.deleted, f.audited)
				}
			} else if action := map[string]string{"POST": ActionCreate, "PATCH": ActionUpdate, "DELETE": ActionDelete}[tt.method]; len(f.audited) != 1 || !strings.HasPrefix(f.audited[0], action+" ") {
				t.Errorf("audited %v, want one %s", f.audited, action)
			}
			if tt.check != nil {
				tt.check(t, f, w)
			}
		})
	}
}

func TestHandlersNilHooks(t *testing.T) {
	s, _ := newStore(t)
	mustCreate(t, s, Camera{Name: "a", UnitCode: "U", RTSPURL: "rtsp://h/x"})
	mux := http.NewServeMux()
	Routes(mux, &Handlers{Store: s})
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/cameras/1", nil))
	var got map[string]any
	mustJSON(t, w, &got)
	if st, _ := got["status"].(map[string]any); w.Code != 200 || st["state"] != "idle" {
		t.Fatalf("%d %v", w.Code, got)
	}
	r := httptest.NewRequest("DELETE", "/api/v1/cameras/1", nil)
	w = httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	if w.Code != 204 {
		t.Fatalf("delete = %d", w.Code)
	}
}

func wantNames(names ...string) func(t *testing.T, f *apiFixture, w *httptest.ResponseRecorder) {
	return func(t *testing.T, f *apiFixture, w *httptest.ResponseRecorder) {
		var got struct{ Cameras []cameraJSON }
		mustJSON(t, w, &got)
		var have []string
		for _, c := range got.Cameras {
			have = append(have, c.Name)
		}
		if strings.Join(have, ",") != strings.Join(names, ",") {
			t.Errorf("names = %v, want %v", have, names)
		}
	}
}

func mustJSON(t *testing.T, w *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatalf("decode %s: %v", w.Body, err)
	}
}

func jsonEsc(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
