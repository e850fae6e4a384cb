package server_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/camera"
	"github.com/vms-project/vms/internal/camsim"
	"github.com/vms-project/vms/internal/config"
	"github.com/vms-project/vms/internal/db"
	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/server"
	"github.com/vms-project/vms/internal/whepclient"
)

// cheapHash keeps logins fast under -race; production parameters are the
// accounts package's defaults.
var cheapHash = accounts.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}

// rootPassword is the bootstrap admin's ("admin", bound to province 72).
const rootPassword = "root admin password"

// cameraUnits are the units that get one camera each: the province, two
// districts, two communes of 703 and one of 705 (Tây Ninh seed).
var cameraUnits = []string{"72", "703", "705", "25456", "25459", "25486"}

// app is the whole server over a real SQLite file, a real relay and a real
// RTSP camera simulator, behind a real HTTP listener.
type app struct {
	t         testing.TB
	dbPath    string
	db        *sql.DB
	acc       *accounts.Service
	relay     *relay.Relay
	cams      *camera.Store
	srv       *server.Server
	http      *httptest.Server
	url       string
	camByUnit map[string]int64
}

// testLog shows logs only with -v.
func testLog() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// newApp builds the app; cfg may adjust the configuration before the
// server is built. Run runs for the app's lifetime, re-checking viewers
// every 200 ms.
func newApp(t testing.TB, cfg func(*config.Config)) *app {
	t.Helper()
	return newAppAccounts(t, accounts.Config{Hash: cheapHash}, cfg)
}

// newAppAccounts is newApp with the accounts service configured by accCfg
// (e.g. short session timeouts).
func newAppAccounts(t testing.TB, accCfg accounts.Config, cfg func(*config.Config)) *app {
	t.Helper()
	ctx := context.Background()
	log := testLog()
	a := &app{t: t, dbPath: filepath.Join(t.TempDir(), "vms.db"), camByUnit: map[string]int64{}}
	var err error
	if a.db, err = db.Open(ctx, a.dbPath); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.db.Close() })
	if a.acc, err = accounts.New(ctx, accCfg, a.db, log); err != nil {
		t.Fatal(err)
	}
	if err := a.acc.EnsureBootstrap(ctx, rootPassword, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := a.acc.DemoAccounts(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	// A district admin, so that an admin has a sibling and a parent unit.
	if _, _, err := a.acc.CreateUserAsSystem(ctx, accounts.NewUser{Username: "admin-703", Role: accounts.RoleAdmin,
		UnitCode: "703", Password: "admin-703-pass"}); err != nil {
		t.Fatal(err)
	}

	sim, err := camsim.New(camsim.Config{Cameras: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	live := server.NewLiveViews(a.acc, log)
	a.cams = camera.NewStore(a.db)
	states := server.NewStateLog(a.cams, log)
	hooks := live.Hooks()
	hooks.OnStateChange = states.OnStateChange
	a.relay, err = relay.New(relay.Options{WebRTC: relay.WebRTCOptions{IncludeLoopback: true, ListenIP: "127.0.0.1"}},
		hooks, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.relay.Close)
	for i, unit := range cameraUnits {
		c, err := a.cams.Create(ctx, camera.Camera{Name: "Quầy " + unit, UnitCode: unit, RTSPURL: sim.URL(fmt.Sprintf("cam%d", i%2+1)),
			Transport: camera.TransportTCP, OnDemand: true, Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		a.camByUnit[unit] = c.ID
	}
	if _, err := server.LoadCameras(ctx, a.cams, a.relay); err != nil {
		t.Fatal(err)
	}
	c := config.Default()
	c.Metrics = config.Metrics{Public: false, Token: "metrics-token"}
	if cfg != nil {
		cfg(&c)
	}
	a.srv, err = server.New(server.Deps{Config: c, Log: log, Cameras: a.cams, DB: a.db, States: states, Relay: a.relay, Accounts: a.acc,
		LiveViews: live, RecheckViewers: 200 * time.Millisecond, EventsPing: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	a.http = httptest.NewServer(a.srv.Handler())
	a.url = a.http.URL
	t.Cleanup(a.http.Close)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.srv.Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return a
}

// reply is an HTTP answer with its body read.
type reply struct {
	status int
	header http.Header
	body   string
}

func (r reply) String() string { return fmt.Sprintf("%d %s", r.status, strings.TrimSpace(r.body)) }

// req is one request; token is sent as a bearer token when set.
type req struct {
	method, path, token, body string
	header                    map[string]string
}

func (a *app) do(r req) reply {
	a.t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr, err := http.NewRequest(r.method, a.url+r.path, body)
	if err != nil {
		a.t.Fatal(err)
	}
	if r.body != "" {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	res, err := a.http.Client().Do(hr)
	if err != nil {
		a.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer func() { _ = res.Body.Close() }()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return reply{status: res.StatusCode, header: res.Header, body: string(b)}
}

// login logs in through the API and returns the whole answer.
func (a *app) login(user, password string) (accounts.LoginResponse, reply) {
	a.t.Helper()
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	rep := a.do(req{method: "POST", path: "/api/v1/login", body: string(body)})
	if rep.status != http.StatusOK {
		a.t.Fatalf("login %s: %s", user, rep)
	}
	var lr accounts.LoginResponse
	mustJSON(a.t, rep.body, &lr)
	return lr, rep
}

// token logs in and returns the bearer token.
func (a *app) token(user, password string) string {
	a.t.Helper()
	lr, _ := a.login(user, password)
	return lr.Token
}

func (a *app) whepURL(camID int64) string {
	return fmt.Sprintf("%s/api/v1/cameras/%d/whep", a.url, camID)
}

// dial opens a real WebRTC viewer; the status is 201 or the error's.
func (a *app) dial(camID int64, token string) (*whepclient.Viewer, int) {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	v, err := whepclient.Dial(ctx, a.whepURL(camID), whepclient.Options{Token: token})
	if err == nil {
		return v, http.StatusCreated
	}
	var he *whepclient.HTTPError
	if errors.As(err, &he) {
		return nil, he.Status
	}
	a.t.Fatalf("WHEP dial camera %d: %v", camID, err)
	return nil, 0
}

// auditRows returns the audit rows matching query, as the root admin sees
// them, newest first.
func (a *app) auditRows(rootToken, query string) []accounts.Entry {
	a.t.Helper()
	rep := a.do(req{method: "GET", path: "/api/v1/audit?" + query, token: rootToken})
	if rep.status != http.StatusOK {
		a.t.Fatalf("audit %s: %s", query, rep)
	}
	var got struct{ Entries []accounts.Entry }
	mustJSON(a.t, rep.body, &got)
	return got.Entries
}

func mustJSON(t testing.TB, body string, v any) {
	t.Helper()
	if err := json.NewDecoder(bytes.NewReader([]byte(body))).Decode(v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
}

// waitFor polls cond until it holds or the (generous) deadline passes.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// viewers is the relay's live viewer count of a camera.
func (a *app) viewers(camID int64) int {
	st, _ := a.relay.Status(camID)
	return st.Viewers
}
