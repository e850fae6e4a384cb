package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"runtime/debug"
	"strings"

	"github.com/pion/webrtc/v4"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/camera"
	"github.com/vms-project/vms/internal/camsim"
	"github.com/vms-project/vms/internal/config"
	"github.com/vms-project/vms/internal/db"
	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/server"
	"github.com/vms-project/vms/web"
)

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "dev"
}

func loadConfig(path string) (config.Config, error) {
	return config.Load(path, os.LookupEnv)
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "YAML configuration file (default: built-in defaults)")
	demo := fs.Bool("demo", false, "start a built-in camera simulator and register demo cameras")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if *demo && cfg.HTTP.Listen == config.Default().HTTP.Listen {
		// The demo prints accounts with known passwords: keep it on this
		// machine unless told otherwise (VMS_HTTP_LISTEN).
		cfg.HTTP.Listen = "127.0.0.1" + cfg.HTTP.Listen
	}
	log := cfg.NewLogger(stderr)
	log.Info("starting vms", "version", version(), "config", cfg)

	sqlDB, err := db.Open(ctx, cfg.Database.Path)
	if err != nil {
		return err
	}
	defer func() { _ = sqlDB.Close() }()
	cams := camera.NewStore(sqlDB)

	acc, err := accounts.New(ctx, accounts.Config{}, sqlDB, log)
	if err != nil {
		return err
	}
	adminPassword, err := secretFromEnv("VMS_ADMIN_PASSWORD")
	if err != nil {
		return err
	}
	if err := acc.EnsureBootstrap(ctx, adminPassword, stdout); err != nil {
		return err
	}
	// Wait for the session purger on the way out (deferred before cancel,
	// so it runs after).
	accDone := make(chan struct{})
	defer func() { <-accDone }()
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(accDone)
		_ = acc.Run(runCtx)
	}()

	ln, err := net.Listen("tcp", cfg.HTTP.Listen)
	if err != nil {
		return fmt.Errorf("http.listen %s: %w", cfg.HTTP.Listen, err)
	}
	defer func() { _ = ln.Close() }()
	if cfg.HTTP.TLSCert == "" && !isLoopback(ln.Addr()) {
		log.Warn("serving plain HTTP on a non-loopback address: passwords, session cookies and video cross the network unencrypted. "+
			"Fix: set http.tls_cert and http.tls_key (VMS_HTTP_TLS_CERT, VMS_HTTP_TLS_KEY) to PEM files to serve HTTPS, "+
			"or listen on 127.0.0.1 behind a TLS reverse proxy",
			"addr", ln.Addr().String())
	}

	live := server.NewLiveViews(acc, log)
	states := server.NewStateLog(cams, log)
	hooks := live.Hooks()
	hooks.OnStateChange = states.OnStateChange
	r, err := relay.New(relayOptions(cfg), hooks, log)
	if err != nil {
		return fmt.Errorf("webrtc.port %d: %w", cfg.WebRTC.Port, err)
	}
	defer r.Close()

	if *demo {
		sim, err := camsim.New(camsim.Config{Cameras: 4}, log)
		if err != nil {
			return fmt.Errorf("demo camera simulator: %w", err)
		}
		defer sim.Close()
		if err := registerDemoCameras(ctx, cams, sim); err != nil {
			return err
		}
	}
	var demoLogins bytes.Buffer
	if *demo {
		// Known passwords: the demo is for trying the product, never for a
		// production database.
		if err := acc.DemoAccounts(ctx, &demoLogins); err != nil {
			return err
		}
	}
	n, err := server.LoadCameras(ctx, cams, r)
	if err != nil {
		return err
	}
	srv, err := server.New(server.Deps{Config: cfg, Log: log, Cameras: cams, DB: sqlDB, States: states, Relay: r, Accounts: acc, LiveViews: live, Static: web.Static()})
	if err != nil {
		return err
	}
	url := browseURL(ln.Addr(), cfg.HTTP.TLSCert != "")
	log.Info("listening", "http", ln.Addr().String(), "webrtc_port", r.ICEPort(), "cameras", n)
	fmt.Fprintf(stdout, "\nvms is running. Open %s in a browser. (Ctrl+C to stop)\n", url)
	if *demo {
		fmt.Fprintf(stdout, "Demo: %d simulated counter cameras are registered. Log in with one of these accounts\n"+
			"(each sees the cameras of its unit and the units below it):\n%s", len(demoCameras), demoLogins.String())
		fmt.Fprintf(stdout, "API: curl -X POST %sapi/v1/login -H 'Content-Type: application/json' "+
			"-d '{\"username\":\"demo-admin\",\"password\":\"demo-admin-pass\"}'\n"+
			"     then send the returned token as 'Authorization: Bearer TOKEN'.\n\n", url)
	}
	err = srv.Serve(ctx, ln)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// secretFromEnv reads a secret from the environment variable name, or from
// the file named by name_FILE (trailing newlines trimmed).
func secretFromEnv(name string) (string, error) {
	v := os.Getenv(name)
	file := os.Getenv(name + "_FILE")
	if file == "" {
		return v, nil
	}
	if v != "" {
		return "", fmt.Errorf("%s and %s_FILE are both set; use one", name, name)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: %w", name, err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

func relayOptions(cfg config.Config) relay.Options {
	var ice []webrtc.ICEServer
	for _, s := range cfg.WebRTC.ICEServers {
		ice = append(ice, webrtc.ICEServer{URLs: s.URLs, Username: s.Username, Credential: s.Credential})
	}
	return relay.Options{
		Linger:              cfg.Relay.Linger,
		MaxViewersPerCamera: cfg.Relay.MaxViewersPerCamera,
		WebRTC: relay.WebRTCOptions{
			Port:       cfg.WebRTC.Port,
			PublicIPs:  cfg.WebRTC.PublicIPs,
			DisableTCP: !cfg.WebRTC.TCP,
			// A browser on the server itself (the demo, an operator PC
			// running the server) reaches it over loopback.
			IncludeLoopback: true,
			ICEServers:      ice,
		},
	}
}

func isLoopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

func browseURL(a net.Addr, tls bool) string {
	scheme := "http"
	if tls {
		scheme = "https"
	}
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		return scheme + "://" + a.String() + "/"
	}
	host := ta.IP.String()
	if ta.IP.IsUnspecified() {
		host = "localhost"
	}
	return fmt.Sprintf("%s://%s/", scheme, net.JoinHostPort(host, fmt.Sprint(ta.Port)))
}

// demoCameras are the simulated counters: names and units from the
// province's real tree so the demo looks like the product in use.
var demoCameras = []struct{ name, unit string }{
	{"Demo – Quầy tiếp nhận hồ sơ, Phường 1", "25456"},
	{"Demo – Quầy trả kết quả, Phường 3", "25459"},
	{"Demo – Bộ phận một cửa, TP Tây Ninh", "703"},
	{"Demo – Bộ phận một cửa, Huyện Tân Biên", "705"},
}

// registerDemoCameras creates the demo cameras once and points them at the
// simulator's (new) port on every start. A demo camera is recognised by
// its simulator path on this machine (rtsp://127.0.0.1:PORT/camN), so one
// renamed or moved in the UI is updated, not duplicated.
func registerDemoCameras(ctx context.Context, store *camera.Store, sim *camsim.Sim) error {
	existing, err := store.List(ctx, camera.Filter{})
	if err != nil {
		return err
	}
	byPath := map[string]camera.Camera{}
	for _, c := range existing {
		if u, err := url.Parse(c.RTSPURL); err == nil && u.Hostname() == "127.0.0.1" {
			byPath[u.Path] = c
		}
	}
	for i, d := range demoCameras {
		path := fmt.Sprintf("cam%d", i+1)
		addr := sim.URL(path)
		if c, ok := byPath["/"+path]; ok {
			if _, err := store.Update(ctx, c.ID, camera.Patch{RTSPURL: &addr}); err != nil {
				return fmt.Errorf("demo camera %q: %w", c.Name, err)
			}
			continue
		}
		if _, err := store.Create(ctx, camera.Camera{Name: d.name, UnitCode: d.unit, RTSPURL: addr, Transport: "tcp", OnDemand: true, Enabled: true}); err != nil {
			return fmt.Errorf("demo camera %q: %w", d.name, err)
		}
	}
	slog.Debug("demo cameras registered", "count", len(demoCameras))
	return nil
}
