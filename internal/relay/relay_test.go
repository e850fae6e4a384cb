package relay_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/camsim"
	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/rtsp"
	"github.com/vms-project/vms/internal/whepclient"
)

// testLog shows the relay's logs only with -v.
func testLog(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// env is a relay behind a real HTTP server.
type env struct {
	t     testing.TB
	relay *relay.Relay
	srv   *httptest.Server
}

func newEnv(t testing.TB, opts relay.Options) *env {
	t.Helper()
	opts.WebRTC.IncludeLoopback = true
	opts.WebRTC.ListenIP = "127.0.0.1"
	r, err := relay.New(opts, relay.Hooks{}, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	(&relay.WHEP{Relay: r, Log: testLog(t)}).Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		srv.Close()
		r.Close()
	})
	return &env{t: t, relay: r, srv: srv}
}

func (e *env) endpoint(id int64) string {
	return fmt.Sprintf("%s/api/v1/cameras/%d/whep", e.srv.URL, id)
}

func startSim(t testing.TB, cfg camsim.Config) *camsim.Sim {
	t.Helper()
	sim, err := camsim.New(cfg, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	return sim
}

// waitFor polls cond until it holds or the (generous) deadline passes.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// dialMany opens n viewers of url, at most parallel handshakes at a time
// (0: all at once), closes them when the test ends, and waits for every
// first frame. opts gives viewer i its options. On a failed dial the test
// is failed and nil is returned.
func dialMany(t testing.TB, ctx context.Context, url string, n, parallel int, opts func(i int) whepclient.Options) []*whepclient.Viewer {
	t.Helper()
	if parallel <= 0 {
		parallel = n
	}
	viewers := make([]*whepclient.Viewer, n)
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			v, err := whepclient.Dial(ctx, url, opts(i))
			if err != nil {
				t.Errorf("viewer %d: %v", i, err)
				return
			}
			viewers[i] = v
		}()
	}
	wg.Wait()
	for _, v := range viewers {
		if v != nil {
			t.Cleanup(func() { _ = v.Close(context.Background()) })
		}
	}
	if t.Failed() {
		return nil
	}
	for i, v := range viewers {
		waitFor(t, fmt.Sprintf("viewer %d first frame", i), 45*time.Second, func() bool { return v.Stats().FirstFrame > 0 })
	}
	return viewers
}

func dial(t testing.TB, ctx context.Context, url string, opts whepclient.Options) *whepclient.Viewer {
	t.Helper()
	v, err := whepclient.Dial(ctx, url, opts)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { _ = v.Close(context.Background()) })
	return v
}

func TestViewersGetDecodableFirstFrameFromSimulator(t *testing.T) {
	sim := startSim(t, camsim.Config{Cameras: 1})
	e := newEnv(t, relay.Options{})
	e.relay.Configure(relay.CameraConfig{ID: 1, Name: "sim", Source: rtsp.Source{URL: sim.URL("cam1"), Transport: "tcp"}, OnDemand: true})

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const n = 5
	viewers := dialMany(t, ctx, e.endpoint(1), n, 0, func(int) whepclient.Options { return whepclient.Options{} })
	if viewers == nil {
		return
	}
	for i, v := range viewers {
		s := v.Stats()
		if !s.FirstFrameDecodable {
			t.Errorf("viewer %d: first frame not an IDR with SPS/PPS: %+v", i, s)
		}
	}
	st, _ := e.relay.Status(1)
	if st.State != relay.StateOnline || st.Viewers != n || st.VideoCodec != "H264" || st.Width != 1280 {
		t.Errorf("status = %+v", st)
	}
}
