// Package camsim is the built-in camera simulator behind `vms serve --demo`:
// an RTSP server whose paths /cam1 … /camN each loop an embedded H.264 clip
// in real time, as live IP cameras would.
//
// Each path has one sender goroutine writing to a shared gortsplib
// ServerStream, so any number of RTSP clients (TCP or UDP) can read it at no
// extra encoding cost. RTP timestamps and sequence numbers run on across
// loop boundaries, and paths start at different frames of the clip so that
// demo tiles differ.
package camsim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultAddr    = "127.0.0.1:0"
	DefaultCameras = 4
	maxCameras     = 256
	payloadType    = 96
)

// Config configures a Sim. The zero value is valid.
type Config struct {
	// Addr is the RTSP (TCP) listen address. Port 0 picks a free port; Addr()
	// reports the real one. Defaults to DefaultAddr.
	Addr string
	// Cameras is the number of paths, named /cam1 … /camN. Defaults to
	// DefaultCameras; at most 256.
	Cameras int
	// UDPPort is the even UDP port for RTP with the UDP transport; RTCP uses
	// UDPPort+1. Both are bound on Addr's host. 0 picks a free pair.
	UDPPort int
	// DisableUDP serves the TCP (interleaved) transport only.
	DisableUDP bool
	// Username and Password, when Username is set, are required (basic or
	// digest, RFC 2617) for DESCRIBE and SETUP. They never appear in URL().
	Username string
	Password string
}

// Sim is a running camera simulator. Create it with New and stop it with
// Close.
type Sim struct {
	log    *slog.Logger
	server *gortsplib.Server
	addr   net.Addr
	names  []string
	// paths is published once every stream exists; the server is already
	// accepting connections while New builds them.
	paths atomic.Pointer[map[string]*simPath]

	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// New parses the embedded clip, starts the RTSP server and starts every
// path's sender. The server is listening when New returns.
func New(cfg Config, log *slog.Logger) (*Sim, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "camsim")
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.Cameras == 0 {
		cfg.Cameras = DefaultCameras
	}
	if cfg.Cameras < 0 || cfg.Cameras > maxCameras {
		return nil, fmt.Errorf("camsim: cameras must be 1–%d, got %d", maxCameras, cfg.Cameras)
	}
	if cfg.UDPPort < 0 || cfg.UDPPort > 65534 || cfg.UDPPort%2 != 0 {
		return nil, fmt.Errorf("camsim: udp port must be an even number 0–65534, got %d", cfg.UDPPort)
	}

	c, err := parseClip(demoClip, payloadType)
	if err != nil {
		return nil, err
	}

	s := &Sim{log: log}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("camsim: listen %s: %w", cfg.Addr, err)
	}
	s.addr = ln.Addr()
	s.server = &gortsplib.Server{
		Handler:     &handler{sim: s, user: cfg.Username, pass: cfg.Password},
		RTSPAddress: s.addr.String(),
		// The listener is bound above so that port 0 resolves before Start
		// and Addr() can report it; gortsplib does not expose its listener.
		Listen: func(string, string) (net.Listener, error) { return ln, nil },
	}
	var udp *udpPair
	if !cfg.DisableUDP {
		host, _, _ := net.SplitHostPort(cfg.Addr)
		pair, err := listenUDPPair(host, cfg.UDPPort)
		if err != nil {
			_ = ln.Close()
			return nil, err
		}
		udp = pair
		s.server.UDPRTPAddress = pair.rtp.LocalAddr().String()
		s.server.UDPRTCPAddress = pair.rtcp.LocalAddr().String()
		s.server.ListenPacket = pair.listenPacket
	}
	if err := s.server.Start(); err != nil {
		// Start may fail before it took over our sockets; closing twice is harmless.
		_ = ln.Close()
		if udp != nil {
			udp.close()
		}
		return nil, fmt.Errorf("camsim: start rtsp server: %w", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	paths := make(map[string]*simPath, cfg.Cameras)
	for i := range cfg.Cameras {
		name := "/cam" + strconv.Itoa(i+1)
		desc := &description.Session{
			Medias: []*description.Media{{
				Type: description.MediaTypeVideo,
				Formats: []format.Format{&format.H264{
					PayloadTyp:        payloadType,
					SPS:               c.sps,
					PPS:               c.pps,
					PacketizationMode: 1,
				}},
			}},
		}
		stream := &gortsplib.ServerStream{Server: s.server, Desc: desc}
		if err := stream.Initialize(); err != nil {
			cancel()
			s.wg.Wait()
			for _, p := range paths {
				p.stream.Close()
			}
			s.server.Close()
			return nil, fmt.Errorf("camsim: stream %s: %w", name, err)
		}
		p := &simPath{
			stream: stream,
			clip:   c,
			// Spread the start frames evenly over the clip so that tiles
			// show different moments.
			offset: i * len(c.frames) / cfg.Cameras,
		}
		paths[name] = p
		s.names = append(s.names, name)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			p.run(ctx, log.With("path", name))
		}()
	}
	s.paths.Store(&paths)
	log.Info("camera simulator listening", "addr", s.addr.String(), "cameras", cfg.Cameras,
		"udp", !cfg.DisableUDP)
	return s, nil
}

// Addr is the address the RTSP server listens on, with the real port.
func (s *Sim) Addr() net.Addr { return s.addr }

// Paths lists the served paths in order: "/cam1", "/cam2", ….
func (s *Sim) Paths() []string { return append([]string(nil), s.names...) }

// URL is the rtsp:// URL of path ("cam1" or "/cam1"), without credentials.
// An unspecified listen host (0.0.0.0, ::) is replaced by loopback so the URL
// can be dialled.
func (s *Sim) URL(path string) string {
	host, port, _ := net.SplitHostPort(s.addr.String())
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "rtsp://" + net.JoinHostPort(host, port) + "/" + strings.TrimPrefix(path, "/")
}

// Run blocks until ctx is done or the RTSP server fails, then closes the
// Sim. It returns nil after ctx is done, or the server's error.
func (s *Sim) Run(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { done <- s.server.Wait() }()
	select {
	case <-ctx.Done():
		s.Close()
		<-done
		return nil
	case err := <-done:
		s.Close()
		if err == nil {
			return errors.New("camsim: rtsp server stopped")
		}
		return fmt.Errorf("camsim: rtsp server: %w", err)
	}
}

// Close stops the senders, disconnects every client and closes the
// listeners, and returns once all goroutines have exited. It is idempotent.
func (s *Sim) Close() {
	s.closeOnce.Do(func() {
		s.cancel()
		s.wg.Wait()
		for _, p := range *s.paths.Load() {
			p.stream.Close()
		}
		s.server.Close()
	})
}
