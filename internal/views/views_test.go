package views_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vms-project/vms/internal/db"
	"github.com/vms-project/vms/internal/httpx"
	"github.com/vms-project/vms/internal/views"
)

// fakeScope is a function-field views.Scope: the caller is the user named
// by the X-User header; visible is the set of cameras every user may see.
type fakeScope struct {
	visible map[int64]bool
}

var _ views.Scope = (*fakeScope)(nil)

func (f *fakeScope) Owner(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.Header.Get("X-User"), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("test: %w", httpx.ErrUnauthorized)
	}
	return id, nil
}

func (f *fakeScope) CanSee(_ *http.Request, id int64) (bool, error) { return f.visible[id], nil }

// newServer serves the views API over a fresh SQLite file with users 1
// and 2.
func newServer(t *testing.T) (*httptest.Server, *fakeScope) {
	t.Helper()
	ctx := context.Background()
	sqlDB, err := db.Open(ctx, filepath.Join(t.TempDir(), "vms.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sqlDB.Close() })
	mustExec(t, sqlDB, `INSERT INTO units (code, name, level) VALUES ('72', 'Tây Ninh', 'province')`)
	for _, u := range []string{"one", "two"} {
		mustExec(t, sqlDB, `INSERT INTO users (username, role, unit_code, password_hash, created_at, updated_at)
			VALUES (?, 'commune', '72', 'x', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`, u)
	}
	scope := &fakeScope{visible: map[int64]bool{7: true, 12: true}}
	mux := http.NewServeMux()
	views.Routes(mux, &views.Handlers{Store: views.NewStore(sqlDB), Scope: scope})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, scope
}

func mustExec(t *testing.T, sqlDB *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := sqlDB.Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

type answer struct {
	status int
	body   string
}

func call(t *testing.T, srv *httptest.Server, user, method, path, body string) answer {
	t.Helper()
	r, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		r.Header.Set("X-User", user)
	}
	res, err := srv.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{res.StatusCode, string(b)}
}

type viewOut struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Layout    int      `json:"layout"`
	Cells     []*int64 `json:"cells"`
	CreatedAt string   `json:"created_at"`
	UpdatedAt string   `json:"updated_at"`
}

func decode[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return v
}

func TestViewsCRUD(t *testing.T) {
	srv, scope := newServer(t)
	created := call(t, srv, "1", "POST", "/api/v1/views", `{"name":" Quầy P1 ","layout":4,"cells":[12,null,7,null]}`)
	if created.status != http.StatusCreated {
		t.Fatalf("create: %+v", created)
	}
	v := decode[viewOut](t, created.body)
	if v.ID == 0 || v.Name != "Quầy P1" || v.Layout != 4 || len(v.Cells) != 4 || *v.Cells[0] != 12 || v.Cells[1] != nil ||
		*v.Cells[2] != 7 || v.CreatedAt == "" || v.UpdatedAt == "" {
		t.Errorf("created view %+v", v)
	}
	if !strings.Contains(created.body, `"cells":[12,null,7,null]`) {
		t.Errorf("cells shape: %s", created.body)
	}
	path := fmt.Sprintf("/api/v1/views/%d", v.ID)

	list := call(t, srv, "1", "GET", "/api/v1/views", "")
	if got := decode[struct{ Views []viewOut }](t, list.body); list.status != 200 || len(got.Views) != 1 || got.Views[0].ID != v.ID {
		t.Errorf("list: %+v", list)
	}
	if other := call(t, srv, "2", "GET", "/api/v1/views", ""); other.body != "{\"views\":[]}\n" {
		t.Errorf("user 2 list: %+v", other)
	}

	// Another user's view is missing to user 2, whatever the method.
	for _, m := range []string{"PUT", "DELETE"} {
		if got := call(t, srv, "2", m, path, `{"name":"x","layout":1,"cells":[]}`); got.status != http.StatusNotFound {
			t.Errorf("user 2 %s: %+v", m, got)
		}
	}

	updated := call(t, srv, "1", "PUT", path, `{"name":"Một","layout":1,"cells":[7]}`)
	if u := decode[viewOut](t, updated.body); updated.status != 200 || u.Name != "Một" || u.Layout != 1 || len(u.Cells) != 1 {
		t.Errorf("update: %+v", updated)
	}

	// A camera the user can no longer see comes back as an empty tile.
	delete(scope.visible, 7)
	if got := decode[viewOut](t, call(t, srv, "1", "PUT", path, `{"name":"Một","layout":4,"cells":[12]}`).body); len(got.Cells) != 1 {
		t.Errorf("update 2: %+v", got)
	}
	scope.visible[7] = true
	call(t, srv, "1", "PUT", path, `{"name":"Một","layout":4,"cells":[12,7]}`)
	delete(scope.visible, 7)
	if got := call(t, srv, "1", "GET", "/api/v1/views", ""); !strings.Contains(got.body, `"cells":[12,null]`) {
		t.Errorf("hidden camera not null: %s", got.body)
	}

	// Names are unique per user, not across users.
	if got := call(t, srv, "1", "POST", "/api/v1/views", `{"name":"Một","layout":1}`); got.status != http.StatusConflict ||
		!strings.Contains(got.body, `"field":"name"`) {
		t.Errorf("duplicate name: %+v", got)
	}
	if got := call(t, srv, "2", "POST", "/api/v1/views", `{"name":"Một","layout":1}`); got.status != http.StatusCreated ||
		!strings.Contains(got.body, `"cells":[]`) {
		t.Errorf("same name, other user: %+v", got)
	}
	second := decode[viewOut](t, call(t, srv, "1", "POST", "/api/v1/views", `{"name":"Hai","layout":1}`).body)
	if got := call(t, srv, "1", "PUT", path, fmt.Sprintf(`{"name":%q,"layout":1}`, "Hai")); got.status != http.StatusConflict {
		t.Errorf("rename onto another view: %+v (second %d)", got, second.ID)
	}

	if got := call(t, srv, "1", "DELETE", path, ""); got.status != http.StatusNoContent {
		t.Errorf("delete: %+v", got)
	}
	if got := call(t, srv, "1", "DELETE", path, ""); got.status != http.StatusNotFound {
		t.Errorf("delete again: %+v", got)
	}
	if got := call(t, srv, "", "GET", "/api/v1/views", ""); got.status != http.StatusUnauthorized {
		t.Errorf("anonymous: %+v", got)
	}
}

func TestViewsValidation(t *testing.T) {
	srv, _ := newServer(t)
	long := strings.Repeat("ư", views.MaxNameLen+1)
	tests := []struct {
		name, body string
		status     int
		field, msg string
	}{
		{"ok 16", `{"name":"a","layout":16,"cells":[7,12,null,null,null,null,null,null,null,null,null,null,null,null,null,null]}`, 201, "", ""},
		{"max name", fmt.Sprintf(`{"name":%q,"layout":1}`, strings.Repeat("ư", views.MaxNameLen)), 201, "", ""},
		{"no name", `{"layout":4}`, 400, "name", "required"},
		{"blank name", `{"name":"   ","layout":4}`, 400, "name", "1 to 100"},
		{"long name", fmt.Sprintf(`{"name":%q,"layout":1}`, long), 400, "name", "1 to 100"},
		{"no layout", `{"name":"b"}`, 400, "layout", "required"},
		{"layout 2", `{"name":"b","layout":2}`, 400, "layout", "1, 4, 9 or 16"},
		{"too many cells", `{"name":"b","layout":1,"cells":[7,12]}`, 400, "cells", "do not fit"},
		{"unknown camera", `{"name":"b","layout":4,"cells":[7,null,99]}`, 400, "cells[2]", "unknown camera 99"},
		{"zero camera", `{"name":"b","layout":4,"cells":[0]}`, 400, "cells[0]", "unknown camera"},
		{"cell not a number", `{"name":"b","layout":4,"cells":["7"]}`, 400, "cells", "must be a JSON number"},
		{"layout string", `{"name":"b","layout":"4"}`, 400, "layout", "must be a JSON number"},
		{"unknown field", `{"name":"b","layout":4,"tiles":[]}`, 400, "tiles", "unknown field"},
		{"malformed", `{"name":"b",`, 400, "", "malformed JSON"},
		{"not an object", `[1,2]`, 400, "", "must be a JSON object"},
		{"empty body", ``, 400, "", "Content-Type must be application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := call(t, srv, "1", "POST", "/api/v1/views", tt.body)
			if got.status != tt.status {
				t.Fatalf("got %+v, want %d", got, tt.status)
			}
			if tt.status != 201 {
				e := decode[httpx.ErrorBody](t, got.body)
				if e.Field != tt.field || !strings.Contains(e.Error, tt.msg) {
					t.Errorf("error %+v, want field %q and %q", e, tt.field, tt.msg)
				}
			}
		})
	}
	// The same rules apply to PUT.
	v := decode[viewOut](t, call(t, srv, "1", "POST", "/api/v1/views", `{"name":"put","layout":1}`).body)
	if got := call(t, srv, "1", "PUT", fmt.Sprintf("/api/v1/views/%d", v.ID), `{"name":"put","layout":3}`); got.status != 400 {
		t.Errorf("PUT layout 3: %+v", got)
	}
	if got := call(t, srv, "1", "PUT", "/api/v1/views/abc", `{"name":"put","layout":1}`); got.status != 400 {
		t.Errorf("PUT bad id: %+v", got)
	}
}
