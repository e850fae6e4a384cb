// Package server is the HTTP surface of vms: the route table, middleware
// and the wiring between the camera store, the relay and the accounts
// service. Every camera endpoint and the WHEP endpoint ask accounts.Can
// about the camera's unit; live viewing is audited through the relay's
// hooks (LiveViews), and a user who loses access loses the video too.
package server

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/camera"
	"github.com/vms-project/vms/internal/config"
	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/rtsp"
	"github.com/vms-project/vms/internal/views"
)

// Deps are what the server serves.
type Deps struct {
	Config  config.Config
	Log     *slog.Logger
	Cameras *camera.Store
	// DB is the database the saved views are kept in (default: the camera
	// store's).
	DB    *sql.DB
	Relay *relay.Relay
	// Accounts authenticates every request (its Middleware wraps every
	// route) and decides every access. Required.
	Accounts *accounts.Service
	// LiveViews must be the one whose Hooks Relay was built with: it audits
	// live viewing and tells the server who watches what. Required.
	LiveViews *LiveViews
	// States records camera state changes for the history endpoint; the
	// relay must have been built with its OnStateChange hook. Optional:
	// without it the history stays empty.
	States *StateLog
	// EventsPing is how often GET /api/v1/events sends ": ping" (default
	// DefaultEventsPing).
	EventsPing time.Duration
	// RecheckViewers is how often Run re-checks live viewers' accounts
	// (default DefaultRecheckViewers).
	RecheckViewers time.Duration
	// Static is the embedded web UI.
	Static fs.FS
}

// Server routes HTTP requests to the feature handlers.
type Server struct {
	d       Deps
	log     *slog.Logger
	mux     *http.ServeMux
	handler http.Handler
	recheck time.Duration
	bg      tasks
	events  *broadcaster
	// eventsPing is Deps.EventsPing with its default.
	eventsPing time.Duration
}

// New builds the route table and registers the account hook that cuts a
// disabled user's live viewers.
func New(d Deps) (*Server, error) {
	if d.Accounts == nil || d.LiveViews == nil || d.Relay == nil || d.Cameras == nil {
		return nil, errors.New("server: Accounts, LiveViews, Relay and Cameras are required")
	}
	if d.DB == nil {
		d.DB = d.Cameras.DB()
	}
	s := &Server{d: d, log: d.Log.With("component", "http"), mux: http.NewServeMux(), recheck: d.RecheckViewers}
	s.events = newBroadcaster(d.Relay, d.Cameras, d.Log)
	s.eventsPing = cmp.Or(d.EventsPing, DefaultEventsPing)
	if s.recheck <= 0 {
		s.recheck = DefaultRecheckViewers
	}
	accounts.NewHandlers(d.Accounts, d.Log).Routes(s.mux)
	camera.Routes(s.mux, &camera.Handlers{
		Store: d.Cameras,
		Log:   d.Log.With("component", "cameras"),
		Status: func(id int64) any {
			st, ok := d.Relay.Status(id)
			if !ok {
				return nil
			}
			return st
		},
		RedactStatus: redactStatus,
		RedactReason: redactAddrs,
		OnChange: func(_ context.Context, c camera.Camera) {
			d.Relay.Configure(CameraConfig(c))
			s.events.camerasChanged(c.ID, c.UnitCode)
		},
		OnDelete: func(_ context.Context, id int64) {
			d.Relay.Remove(id)
			s.events.camerasChanged(id, "")
		},
		Authorize: s.authorizeCamera,
		Audit:     s.auditCamera,
		Probe:     s.probeCamera,
	})
	views.Routes(s.mux, &views.Handlers{Store: views.NewStore(d.DB), Scope: viewScope{s}, Log: d.Log.With("component", "views")})
	(&relay.WHEP{Relay: d.Relay, Log: d.Log.With("component", "whep"), Authorize: s.authorizeWHEP}).Routes(s.mux)
	s.mux.HandleFunc("GET /api/v1/events", s.handleEvents)
	d.Accounts.OnUserDisabled(s.cutUser)

	reg := prometheus.NewRegistry()
	reg.MustRegister(relay.NewCollector(d.Relay), collectors.NewGoCollector(
		// The live heap after the last GC: what memory per viewer is
		// judged by (heap in use also holds garbage not yet collected).
		collectors.WithGoCollectorRuntimeMetrics(collectors.GoRuntimeMetricsRule{Matcher: regexp.MustCompile(`^/gc/heap/live:bytes$`)})), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if d.States != nil {
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "vms_camera_state_changes_dropped_total",
			Help: "Camera state changes not written to the history because its queue was full.",
		}, func() float64 { return float64(d.States.Dropped()) }))
	}
	s.mux.Handle("GET /metrics", s.metricsHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	if d.Static != nil {
		s.mux.Handle("GET /", http.FileServerFS(d.Static))
	}
	// Security headers outside the accounts middleware, so its 401s and
	// 403s carry them too.
	s.handler = s.recoverer(securityHeaders(d.Accounts.Middleware(s.endStreamsOnLogout(s.mux))))
	return s, nil
}

// CameraConfig converts a stored camera to what the relay needs.
func CameraConfig(c camera.Camera) relay.CameraConfig {
	src := c.Source()
	main := rtsp.Source{
		URL: src.URL, Username: src.Username, Password: src.Password,
		Transport: src.Transport, TLSFingerprint: src.TLSFingerprint,
	}
	cfg := relay.CameraConfig{ID: c.ID, Name: c.Name, UnitCode: c.UnitCode, OnDemand: c.OnDemand, Source: main}
	if c.SubstreamURL != "" {
		// Cameras serve both streams with the same account.
		sub := main
		sub.URL = c.SubstreamURL
		cfg.SubSource = &sub
	}
	return cfg
}

// LoadCameras hands every stored camera to the relay; always-on cameras
// start pulling.
func LoadCameras(ctx context.Context, store *camera.Store, r *relay.Relay) (int, error) {
	cams, err := store.List(ctx, camera.Filter{})
	if err != nil {
		return 0, fmt.Errorf("load cameras: %w", err)
	}
	for _, c := range cams {
		r.Configure(CameraConfig(c))
	}
	return len(cams), nil
}

// Handler is the whole HTTP surface with its middleware: security
// headers on every answer, then authentication (accounts.Middleware:
// anonymous requests under /api/ get 401, except login; cookie sessions
// need the CSRF header on state-changing requests).
func (s *Server) Handler() http.Handler { return s.handler }

// securityHeaders are sent on every answer: the UI needs nothing from
// other origins, and must not be framed by other sites.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; "+
			"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "SAMEORIGIN")
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a handler panic into a 500 and a log line instead of a
// dropped connection.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Serve answers on ln (TLS when http.tls_cert and http.tls_key are set)
// and runs Run until ctx ends, then shuts down gracefully and waits for
// both.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	var bg sync.WaitGroup
	defer bg.Wait() // after cancel below
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	bg.Go(func() { _ = s.Run(ctx) })
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	// Shutdown waits for active requests: end the event streams first.
	srv.RegisterOnShutdown(func() { s.events.close("server shutting down") })
	errc := make(chan error, 1)
	go func() {
		if s.d.Config.HTTP.TLSCert != "" {
			errc <- srv.ServeTLS(ln, s.d.Config.HTTP.TLSCert, s.d.Config.HTTP.TLSKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	shutCtx, shutCancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer shutCancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("http shutdown: %w", err)
	}
	return nil
}
