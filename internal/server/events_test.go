package server_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/camsim"
)

// sseEvent is one event as a client reads it.
type sseEvent struct {
	name, data string
}

// sseStream is an open GET /api/v1/events.
type sseStream struct {
	t      testing.TB
	res    *http.Response
	events chan sseEvent
	ended  chan struct{} // closed when the server ends the stream
	pings  chan struct{}
}

// events opens the event stream with a bearer token; it fails the test
// unless the answer is 200 text/event-stream.
func (a *app) events(token string) *sseStream {
	a.t.Helper()
	res, status := a.openEvents(a.url, token)
	if status != http.StatusOK {
		a.t.Fatalf("GET /api/v1/events: %d", status)
	}
	return a.readEvents(res)
}

func (a *app) openEvents(base, token string) (*http.Response, int) {
	a.t.Helper()
	hr, err := http.NewRequest("GET", base+"/api/v1/events", nil)
	if err != nil {
		a.t.Fatal(err)
	}
	hr.Header.Set("Authorization", "Bearer "+token)
	hr.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		a.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		_ = res.Body.Close()
		return nil, res.StatusCode
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		a.t.Errorf("Content-Type %q", ct)
	}
	return res, res.StatusCode
}

func (a *app) readEvents(res *http.Response) *sseStream {
	s := &sseStream{t: a.t, res: res, events: make(chan sseEvent, 1024), ended: make(chan struct{}), pings: make(chan struct{}, 16)}
	a.t.Cleanup(func() { _ = res.Body.Close() })
	go func() {
		defer close(s.ended)
		sc := bufio.NewScanner(res.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" {
					s.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data = strings.TrimPrefix(line, "data: ")
			case line == ": ping":
				select {
				case s.pings <- struct{}{}:
				default:
				}
			}
		}
	}()
	return s
}

// statusEvent is the data of an "event: status".
type statusEvent struct {
	ID     int64 `json:"id"`
	Status struct {
		State   string `json:"state"`
		Reason  string `json:"reason"`
		Viewers int    `json:"viewers"`
	} `json:"status"`
}

// next returns the next event, failing after a generous timeout.
func (s *sseStream) next(what string) sseEvent {
	s.t.Helper()
	select {
	case ev := <-s.events:
		return ev
	case <-s.ended:
		s.t.Fatalf("stream ended while waiting for %s", what)
	case <-time.After(30 * time.Second):
		s.t.Fatalf("timed out waiting for %s", what)
	}
	return sseEvent{}
}

// snapshot reads the n status events sent on connect.
func (s *sseStream) snapshot(n int) []statusEvent {
	s.t.Helper()
	out := make([]statusEvent, 0, n)
	for range n {
		ev := s.next("the snapshot")
		if ev.name != "status" {
			s.t.Fatalf("snapshot event %q %s", ev.name, ev.data)
		}
		var st statusEvent
		mustJSON(s.t, ev.data, &st)
		out = append(out, st)
	}
	return out
}

// until reads events until match accepts one; every event seen is passed
// to seen first (nil ignores them).
func (s *sseStream) until(what string, match func(sseEvent) bool, seen func(sseEvent)) {
	s.t.Helper()
	for {
		ev := s.next(what)
		if seen != nil {
			seen(ev)
		}
		if match(ev) {
			return
		}
	}
}

// waitEnded fails unless the server ends the stream within the timeout.
func (s *sseStream) waitEnded(what string) {
	s.t.Helper()
	for {
		select {
		case <-s.events:
		case <-s.ended:
			return
		case <-time.After(30 * time.Second):
			s.t.Fatalf("stream not ended: %s", what)
		}
	}
}

func statusOf(t testing.TB, ev sseEvent) (statusEvent, bool) {
	if ev.name != "status" {
		return statusEvent{}, false
	}
	var st statusEvent
	mustJSON(t, ev.data, &st)
	return st, true
}

// TestEventsSnapshotAndScope: each role gets one status event per camera
// in its scope and none of any other; a commune never hears of another
// commune's camera, not even when it changes.
func TestEventsSnapshotAndScope(t *testing.T) {
	a := newApp(t, nil)
	tests := []struct {
		user, password string
		units          []string
	}{
		{"demo-admin", "demo-admin-pass", cameraUnits},
		{"demo-district", "demo-district-pass", []string{"703", "25456", "25459"}},
		{"demo-police", "demo-police-pass", []string{"703", "25456", "25459"}},
		{"demo-commune", "demo-commune-pass", []string{"25456"}},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			s := a.events(a.token(tt.user, tt.password))
			var want, got []int64
			for _, u := range tt.units {
				want = append(want, a.camByUnit[u])
			}
			for _, st := range s.snapshot(len(want)) {
				got = append(got, st.ID)
				if st.Status.State == "" {
					t.Errorf("camera %d: no state", st.ID)
				}
			}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("snapshot cameras %v, want %v", got, want)
			}
		})
	}

	// A neighbour commune's camera goes live: the commune hears nothing of
	// it, but does hear of its own camera going live.
	commune := a.events(a.token("demo-commune", "demo-commune-pass"))
	commune.snapshot(1)
	root := a.token("admin", rootPassword)
	other := a.watching(t, a.camByUnit["25459"], root)
	defer func() { _ = other.Close(context.Background()) }()
	own := a.watching(t, a.camByUnit["25456"], root)
	defer func() { _ = own.Close(context.Background()) }()
	commune.until("own camera online with a viewer", func(ev sseEvent) bool {
		st, ok := statusOf(t, ev)
		return ok && st.ID == a.camByUnit["25456"] && st.Status.State == "online" && st.Status.Viewers == 1
	}, func(ev sseEvent) {
		if st, ok := statusOf(t, ev); ok && st.ID != a.camByUnit["25456"] {
			t.Errorf("commune got another commune's camera: %s", ev.data)
		}
	})
}

// TestEventsChanges: a camera going online and then offline is pushed, a
// camera created or deleted in scope announces "cameras", and the stream
// carries ": ping" comments.
func TestEventsChanges(t *testing.T) {
	a := newApp(t, nil)
	root := a.token("admin", rootPassword)
	s := a.events(a.token("demo-district", "demo-district-pass"))
	s.snapshot(3)

	// An always-on camera on a simulator of its own, which the test stops.
	sim, err := camsim.New(camsim.Config{Cameras: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	created := a.do(req{method: "POST", path: "/api/v1/cameras", token: root,
		body: fmt.Sprintf(`{"name":"Luôn bật","unit_code":"25459","rtsp_url":%q,"transport":"tcp","on_demand":false}`, sim.URL("cam1"))})
	if created.status != http.StatusCreated {
		t.Fatalf("create: %s", created)
	}
	var cam struct{ ID int64 }
	mustJSON(t, created.body, &cam)
	select {
	case <-s.pings:
	case <-time.After(30 * time.Second):
		t.Error("no \": ping\" comment")
	}
	s.until("event: cameras", func(ev sseEvent) bool { return ev.name == "cameras" && ev.data == "{}" }, nil)
	s.until("the new camera online", func(ev sseEvent) bool {
		st, ok := statusOf(t, ev)
		return ok && st.ID == cam.ID && st.Status.State == "online"
	}, nil)
	sim.Close()
	s.until("the camera offline", func(ev sseEvent) bool {
		st, ok := statusOf(t, ev)
		return ok && st.ID == cam.ID && st.Status.State == "offline" && st.Status.Reason != ""
	}, nil)

	// Deleting it is announced too; a commune of another district is not told.
	commune := a.events(a.token("demo-commune", "demo-commune-pass"))
	commune.snapshot(1)
	if got := a.do(req{method: "DELETE", path: fmt.Sprintf("/api/v1/cameras/%d", cam.ID), token: root}); got.status != http.StatusNoContent {
		t.Fatalf("delete: %s", got)
	}
	s.until("event: cameras after the delete", func(ev sseEvent) bool { return ev.name == "cameras" }, nil)
	select {
	case ev := <-commune.events:
		if ev.name == "cameras" {
			t.Errorf("commune 25456 told of a change in 25459: %+v", ev)
		}
	case <-time.After(1500 * time.Millisecond):
	}
}

// TestEventsEndOnDisable: disabling the account (through the API, and from
// another process), or logging the session out, ends its streams; a user
// may hold only server.MaxEventStreams at once.
func TestEventsEndOnDisable(t *testing.T) {
	a := newApp(t, nil)
	root := a.token("admin", rootPassword)
	for i, via := range []string{"api", "shell"} {
		name := fmt.Sprintf("events-%s", via)
		created := a.do(req{method: "POST", path: "/api/v1/users", token: root,
			body: fmt.Sprintf(`{"username":%q,"role":"commune","unit_code":"25456","password":"first password %d"}`, name, i)})
		if created.status != http.StatusCreated {
			t.Fatalf("create user: %s", created)
		}
		var cu struct{ User accounts.User }
		mustJSON(t, created.body, &cu)
		tok := a.token(name, fmt.Sprintf("first password %d", i))
		if got := a.do(req{method: "POST", path: "/api/v1/me/password", token: tok,
			body: fmt.Sprintf(`{"old_password":"first password %d","new_password":"second password %d"}`, i, i)}); got.status != http.StatusNoContent {
			t.Fatalf("change password: %s", got)
		}
		s := a.events(tok)
		s.snapshot(1)
		if via == "api" {
			if got := a.do(req{method: "PATCH", path: fmt.Sprintf("/api/v1/users/%d", cu.User.ID), token: root,
				body: `{"disabled":true}`}); got.status != http.StatusOK {
				t.Fatalf("disable: %s", got)
			}
		} else if _, err := a.db.Exec(`UPDATE users SET disabled = 1 WHERE id = ?`, cu.User.ID); err != nil {
			t.Fatal(err)
		}
		s.waitEnded("account disabled via " + via)
	}

	// Logout ends the streams of that session only.
	lr, _ := a.login("demo-commune", "demo-commune-pass")
	other := a.token("demo-commune", "demo-commune-pass")
	s1, s2 := a.events(lr.Token), a.events(other)
	s1.snapshot(1)
	s2.snapshot(1)
	if got := a.do(req{method: "POST", path: "/api/v1/logout", token: lr.Token}); got.status/100 != 2 {
		t.Fatalf("logout: %s", got)
	}
	s1.waitEnded("session logged out")
	select {
	case <-s2.ended:
		t.Error("the other session's stream ended too")
	case <-time.After(500 * time.Millisecond):
	}

	// The per-user limit: s2 is one of MaxEventStreams.
	for range 7 {
		a.events(other).snapshot(1)
	}
	if _, status := a.openEvents(a.url, other); status != http.StatusTooManyRequests {
		t.Errorf("stream %d: %d, want 429", 9, status)
	}
	if _, status := a.openEvents(a.url, ""); status != http.StatusUnauthorized {
		t.Errorf("anonymous: %d, want 401", status)
	}
}

// TestServeEndsEventStreams: Serve returns promptly on shutdown although
// an event stream is open, and the stream ends.
func TestServeEndsEventStreams(t *testing.T) {
	a := newApp(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.srv.Serve(ctx, ln) }()
	tok := a.token("demo-admin", "demo-admin-pass")
	res, status := a.openEvents("http://"+ln.Addr().String(), tok)
	if status != http.StatusOK {
		cancel()
		t.Fatalf("events over Serve: %d", status)
	}
	s := a.readEvents(res)
	s.snapshot(len(cameraUnits))
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Serve hangs on an open event stream")
	}
	if el := time.Since(start); el > 4*time.Second {
		t.Errorf("Serve took %s to return (it waited for the stream)", el)
	}
	s.waitEnded("server shut down")
}
