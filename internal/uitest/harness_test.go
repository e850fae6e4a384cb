// Package uitest drives the embedded web UI in Debian's headless Chromium
// against the whole server: real SQLite, real accounts, the real relay
// fed by real RTSP cameras (the built-in simulator and GStreamer's RTSP
// server), on ports chosen by the kernel.
package uitest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/browsertest"
	"github.com/vms-project/vms/internal/camera"
	"github.com/vms-project/vms/internal/camsim"
	"github.com/vms-project/vms/internal/config"
	"github.com/vms-project/vms/internal/db"
	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/server"
	"github.com/vms-project/vms/internal/testcam"
	"github.com/vms-project/vms/web"
)

// cheapHash keeps logins fast under -race; production parameters are
// measured in accounts' benchmark.
var cheapHash = accounts.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}

// rootPassword is the bootstrap admin's ("admin", bound to the province).
const rootPassword = "root-password-for-tests"

// Demo accounts (accounts.DemoAccounts): the password is the username
// followed by "-pass".
const (
	UserAdmin    = "demo-admin"    // admin, province 72
	UserProvince = "demo-province" // province, 72
	UserDistrict = "demo-district" // district, 703 (Thành phố Tây Ninh)
	UserPolice   = "demo-police"   // police, 703
	UserCommune  = "demo-commune"  // commune, 25456 (a ward of 703)
)

// Password returns a demo account's password.
func Password(user string) string {
	if user == "admin" {
		return rootPassword
	}
	return user + "-pass"
}

// camSpec is one camera the app registers. live marks the one fed by the
// GStreamer camera, which tests stop and restart.
type camSpec struct {
	name, unit string
	live       bool
}

// cameras: the province, districts 703 and 705, two cameras in ward 25456
// (one live), one in ward 25459 (703) and one in 25486 (705). The police
// and district accounts of 703 must never see those of 705 or 72.
var cameras = []camSpec{
	{"Quầy 1 – Phường 1", "25456", true},
	{"Quầy 2 – Phường 1", "25456", false},
	{"Quầy 1 – Phường 3", "25459", false},
	{"Quầy 1 – Thành phố Tây Ninh", "703", false},
	{"Quầy 1 – Huyện Tân Biên", "705", false},
	{"Quầy 1 – Thị trấn Tân Biên", "25486", false},
	{"Quầy tiếp nhận – Tỉnh", "72", false},
}

// App is the whole server behind a real HTTP listener.
type App struct {
	t   testing.TB
	URL string // http://127.0.0.1:port (no trailing slash)

	DB      *sql.DB
	Acc     *accounts.Service
	Relay   *relay.Relay
	Cams    *camera.Store
	Live    *testcam.Camera  // GStreamer camera behind "Quầy 1 – Phường 1"
	Sim     *camsim.Sim      // simulator behind the other cameras
	CamID   map[string]int64 // camera name → id
	Artifac string           // where screenshots go
}

// Options adjust the app.
type Options struct {
	// LiveCamera sets the GStreamer camera's options (default 640×360,
	// 25 fps, GOP 1 s, H.264).
	LiveCamera testcam.Options
}

func testLog() *slog.Logger {
	if os.Getenv("VMS_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// StartApp builds the app with its cameras registered (on demand, TCP) and
// the bootstrap and demo accounts.
func StartApp(t testing.TB, opts Options) *App {
	t.Helper()
	ctx := context.Background()
	log := testLog()
	a := &App{t: t, CamID: map[string]int64{}}
	var err error
	if a.DB, err = db.Open(ctx, filepath.Join(t.TempDir(), "vms.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.DB.Close() })
	if a.Acc, err = accounts.New(ctx, accounts.Config{Hash: cheapHash}, a.DB, log); err != nil {
		t.Fatal(err)
	}
	if err := a.Acc.EnsureBootstrap(ctx, rootPassword, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := a.Acc.DemoAccounts(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	accCtx, accCancel := context.WithCancel(ctx)
	accDone := make(chan struct{})
	go func() { defer close(accDone); _ = a.Acc.Run(accCtx) }()
	t.Cleanup(func() { accCancel(); <-accDone })

	lc := opts.LiveCamera
	if lc.Width == 0 {
		lc.Width, lc.Height = 640, 360
	}
	if lc.BitrateKbps == 0 {
		lc.BitrateKbps = 600
	}
	if lc.GOPFrames == 0 {
		lc.GOPFrames = 25
	}
	a.Live = testcam.Start(t, lc)
	if a.Sim, err = camsim.New(camsim.Config{Addr: "127.0.0.1:0", Cameras: 2, UDPPort: 0}, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Sim.Close)

	live := server.NewLiveViews(a.Acc, log)
	a.Cams = camera.NewStore(a.DB)
	// State changes go to the history (GET /api/v1/cameras/{id}/history),
	// as in `vms serve`.
	states := server.NewStateLog(a.Cams, log)
	hooks := live.Hooks()
	hooks.OnStateChange = states.OnStateChange
	a.Relay, err = relay.New(relay.Options{WebRTC: relay.WebRTCOptions{IncludeLoopback: true, ListenIP: "127.0.0.1"}},
		hooks, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Relay.Close)
	for i, c := range cameras {
		url := a.Sim.URL(fmt.Sprintf("cam%d", i%2+1))
		if c.live {
			url = a.Live.URL()
		}
		a.AddCamera(camera.Camera{Name: c.name, UnitCode: c.unit, RTSPURL: url,
			Transport: camera.TransportTCP, OnDemand: true, Enabled: true})
	}
	cfg := config.Default()
	cfg.Metrics = config.Metrics{Public: false, Token: "metrics-token"}
	srv, err := server.New(server.Deps{Config: cfg, Log: log, Cameras: a.Cams, Relay: a.Relay, Accounts: a.Acc,
		LiveViews: live, States: states, RecheckViewers: time.Second, Static: web.Static()})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	a.URL = hs.URL
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Run(runCtx) }()
	t.Cleanup(func() {
		// Browsers may hold event streams open: close them before waiting.
		hs.CloseClientConnections()
		hs.Close()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return a
}

// AddCamera stores a camera and hands it to the relay, as the API does.
func (a *App) AddCamera(c camera.Camera) int64 {
	a.t.Helper()
	created, err := a.Cams.Create(context.Background(), c)
	if err != nil {
		a.t.Fatalf("add camera %q: %v", c.Name, err)
	}
	a.Relay.Configure(server.CameraConfig(created))
	a.CamID[c.Name] = created.ID
	return created.ID
}

// Browser starts a headless Chromium tab (closed when the test ends).
func (a *App) Browser(t testing.TB) context.Context {
	t.Helper()
	return browsertest.New(t, 3*time.Minute)
}

// Screenshot keeps a PNG of the page as a test artifact, named after the
// test and what it shows.
func Screenshot(t testing.TB, ctx context.Context, what string) {
	t.Helper()
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name() + "-" + what)
	browsertest.Screenshot(t, ctx, name)
}

// Token logs in over the API and returns a bearer token, for setting up
// state without the UI.
func (a *App) Token(user string) string {
	a.t.Helper()
	body := fmt.Sprintf(`{"username":%q,"password":%q}`, user, Password(user))
	res, err := http.Post(a.URL+"/api/v1/login", "application/json", strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	var lr struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&lr); err != nil || lr.Token == "" {
		a.t.Fatalf("login %s: status %d, %v", user, res.StatusCode, err)
	}
	return lr.Token
}

// WaitJS polls a JavaScript boolean expression in the page until it is
// true, failing the test with what after timeout.
func WaitJS(t testing.TB, ctx context.Context, what, expr string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if last = err; err == nil && ok {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	Screenshot(t, ctx, "timeout")
	t.Fatalf("timed out after %v waiting for %s (%s); last error: %v", timeout, what, expr, last)
}
