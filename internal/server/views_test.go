package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestViewsScope: through the whole server, every role keeps views of the
// cameras it may watch; a camera outside its scope is "unknown camera"
// exactly like a missing one; another user's view is 404.
func TestViewsScope(t *testing.T) {
	a := newApp(t, nil)
	commune := a.token("demo-commune", "demo-commune-pass")
	police := a.token("demo-police", "demo-police-pass")
	own, neighbour := a.camByUnit["25456"], a.camByUnit["25459"]

	got := a.do(req{method: "POST", path: "/api/v1/views", token: commune,
		body: fmt.Sprintf(`{"name":"Phường 1","layout":4,"cells":[%d,null]}`, own)})
	if got.status != http.StatusCreated {
		t.Fatalf("commune saves a view of its camera: %s", got)
	}
	var v struct{ ID int64 }
	mustJSON(t, got.body, &v)

	hidden := a.do(req{method: "POST", path: "/api/v1/views", token: commune,
		body: fmt.Sprintf(`{"name":"x","layout":4,"cells":[null,%d]}`, neighbour)})
	missing := a.do(req{method: "POST", path: "/api/v1/views", token: commune,
		body: `{"name":"x","layout":4,"cells":[null,999999]}`})
	if hidden.status != http.StatusBadRequest || !strings.Contains(hidden.body, `"field":"cells[1]"`) {
		t.Errorf("out-of-scope camera: %s", hidden)
	}
	if strings.ReplaceAll(hidden.body, fmt.Sprint(neighbour), "N") != strings.ReplaceAll(missing.body, "999999", "N") {
		t.Errorf("out of scope %q differs from missing %q", hidden.body, missing.body)
	}

	// Police (no dashboards, no administration) may keep views too.
	if got := a.do(req{method: "POST", path: "/api/v1/views", token: police,
		body: fmt.Sprintf(`{"name":"Phường 1","layout":1,"cells":[%d]}`, own)}); got.status != http.StatusCreated {
		t.Errorf("police saves a view: %s", got)
	}
	path := fmt.Sprintf("/api/v1/views/%d", v.ID)
	for _, m := range []string{"PUT", "DELETE"} {
		if got := a.do(req{method: m, path: path, token: police, body: `{"name":"y","layout":1}`}); got.status != http.StatusNotFound {
			t.Errorf("police %s the commune's view: %s", m, got)
		}
	}
	if got := a.do(req{method: "GET", path: "/api/v1/views", token: police}); strings.Contains(got.body, fmt.Sprintf(`"id":%d,`, v.ID)) {
		t.Errorf("police lists the commune's view: %s", got)
	}
	// A cookie session needs the CSRF header like every change.
	lr, login := a.login("demo-commune", "demo-commune-pass")
	cookie := login.header.Get("Set-Cookie")
	if got := a.do(req{method: "DELETE", path: path, header: map[string]string{"Cookie": cookie}}); got.status != http.StatusForbidden {
		t.Errorf("cookie DELETE without CSRF: %s", got)
	}
	if got := a.do(req{method: "DELETE", path: path, header: map[string]string{"Cookie": cookie, "X-CSRF-Token": lr.CSRFToken}}); got.status != http.StatusNoContent {
		t.Errorf("cookie DELETE with CSRF: %s", got)
	}
}
