package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"

	"github.com/pion/webrtc/v4"

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
	log := cfg.NewLogger(stderr)
	log.Info("starting vms", "version", version(), "config", cfg)

	sqlDB, err := db.Open(ctx, cfg.Database.Path)
	if err != nil {
		return err
	}
	defer func() { _ = sqlDB.Close() }()
	cams := camera.NewStore(sqlDB)

	ln, err := net.Listen("tcp", cfg.HTTP.Listen)
	if err != nil {
		return fmt.Errorf("http.listen %s: %w", cfg.HTTP.Listen, err)
	}
	defer func() { _ = ln.Close() }()
	if cfg.HTTP.TLSCert == "" && !isLoopback(ln.Addr()) {
		log.Warn("serving plain HTTP on a non-loopback address: passwords and video are not encrypted; set http.tls_cert and http.tls_key",
			"addr", ln.Addr().String())
	}

	r, err := relay.New(relayOptions(cfg), relay.Hooks{}, log)
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
	n, err := server.LoadCameras(ctx, cams, r)
	if err != nil {
		return err
	}
	srv, err := server.New(server.Deps{Config: cfg, Log: log, Cameras: cams, Relay: r, Static: web.Static()})
	if err != nil {
		return err
	}
	url := browseURL(ln.Addr(), cfg.HTTP.TLSCert != "")
	log.Info("listening", "http", ln.Addr().String(), "webrtc_port", r.ICEPort(), "cameras", n)
	fmt.Fprintf(stdout, "\nvms is running. Open %s in a browser. (Ctrl+C to stop)\n", url)
	if *demo {
		fmt.Fprintf(stdout, "Demo: %d simulated counter cameras are registered and play at once.\n\n", 4)
	}
	err = srv.Serve(ctx, ln)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
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
// simulator's (new) port on every start.
func registerDemoCameras(ctx context.Context, store *camera.Store, sim *camsim.Sim) error {
	existing, err := store.List(ctx, camera.Filter{})
	if err != nil {
		return err
	}
	byName := map[string]camera.Camera{}
	for _, c := range existing {
		byName[c.Name] = c
	}
	for i, d := range demoCameras {
		url := sim.URL(fmt.Sprintf("cam%d", i+1))
		if c, ok := byName[d.name]; ok {
			if _, err := store.Update(ctx, c.ID, camera.Patch{RTSPURL: &url}); err != nil {
				return fmt.Errorf("demo camera %q: %w", d.name, err)
			}
			continue
		}
		if _, err := store.Create(ctx, camera.Camera{Name: d.name, UnitCode: d.unit, RTSPURL: url, Transport: "tcp", OnDemand: true, Enabled: true}); err != nil {
			return fmt.Errorf("demo camera %q: %w", d.name, err)
		}
	}
	slog.Debug("demo cameras registered", "count", len(demoCameras))
	return nil
}
