package rtsp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bluenviron/gortsplib/v4"
)

// Options tune a Puller. Zero values take the defaults.
type Options struct {
	// ReadTimeout is how long a camera may stay silent before it is
	// declared dead and the session is restarted (default 10 s).
	ReadTimeout time.Duration
	// MinBackoff and MaxBackoff bound the wait between reconnection
	// attempts, which doubles after each failure (defaults 1 s and 30 s).
	MinBackoff, MaxBackoff time.Duration
	// UDPFallback is how long auto mode waits for the first UDP packet
	// before switching to TCP (default 3 s).
	UDPFallback time.Duration
}

func (o Options) withDefaults() Options {
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = 10 * time.Second
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 30 * time.Second
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = o.MinBackoff
	}
	if o.UDPFallback <= 0 {
		o.UDPFallback = 3 * time.Second
	}
	return o
}

// Puller keeps one RTSP session to one camera alive until its context ends.
type Puller struct {
	src  Source
	h    Handler
	log  *slog.Logger
	opts Options

	// Learnt from the camera, kept across sessions.
	preferTCP      atomic.Bool // its SSRC changes are followed only over TCP
	noGetParameter atomic.Bool // it refused a GET_PARAMETER keepalive
}

// NewPuller prepares a puller; nothing happens until Run.
func NewPuller(src Source, h Handler, log *slog.Logger, opts Options) *Puller {
	return &Puller{src: src, h: h, log: log, opts: opts.withDefaults()}
}

// Run connects, plays and reconnects with capped exponential backoff until
// ctx is done. It returns nil when ctx ends, or an error only for a
// configuration the camera can never be pulled with.
func (p *Puller) Run(ctx context.Context) error {
	if _, err := p.src.parse(); err != nil {
		p.h.OnDisconnect(err, 0)
		return err
	}
	if _, err := p.src.transport(); err != nil {
		p.h.OnDisconnect(err, 0)
		return err
	}
	backoff := p.opts.MinBackoff
	for attempt := 1; ; attempt++ {
		p.h.OnConnecting(attempt)
		played, err := p.session(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if played {
			backoff = p.opts.MinBackoff
		}
		err = redactErr(err, p.src)
		p.log.Warn("camera session ended", "attempt", attempt, "err", err, "retry_in", backoff)
		p.h.OnDisconnect(err, backoff)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		backoff = min(backoff*2, p.opts.MaxBackoff)
	}
}

// session runs one RTSP session. played reports whether PLAY succeeded.
func (p *Puller) session(ctx context.Context) (played bool, err error) {
	u, _ := p.src.parse()
	tr, _ := p.src.transport()
	auto := tr == nil
	if auto && p.preferTCP.Load() {
		t := gortsplib.TransportTCP
		tr = &t
	}
	first := "UDP"
	if tr != nil && *tr == gortsplib.TransportTCP {
		first = "TCP"
	}
	hk := newSessionHooks(p, first, auto)
	c := &gortsplib.Client{
		Scheme:                u.Scheme,
		Host:                  u.Host,
		Transport:             tr,
		ReadTimeout:           p.opts.ReadTimeout,
		WriteTimeout:          p.opts.ReadTimeout,
		InitialUDPReadTimeout: p.opts.UDPFallback,
		UDPReadBufferSize:     udpReadBuffer(),
		UserAgent:             "vms",
		OnRequest:             hk.onRequest,
		OnResponse:            hk.onResponse,
		OnTransportSwitch:     hk.onTransportSwitch,
		OnDecodeError:         hk.onDecodeError,
		OnPacketsLost: func(n uint64) {
			p.log.Debug("camera packets lost", "count", n)
		},
	}
	if u.Scheme == "rtsps" {
		c.TLSConfig, err = p.src.tlsConfig(u.Host)
		if err != nil {
			return false, err
		}
	} else {
		c.DialContext = hk.dial
	}
	if err := c.Start2(); err != nil {
		return false, explain(err)
	}
	defer c.Close()
	hk.close = c.Close
	// Close the client as soon as the puller is stopped, even mid-request.
	stop := context.AfterFunc(ctx, c.Close)
	defer stop()

	desc, _, err := c.Describe(u)
	if err != nil {
		return false, fmt.Errorf("describe: %w", hk.describeErr(explain(err)))
	}
	sel, err := selectMedia(desc)
	if err != nil {
		return false, err
	}
	for _, m := range sel.medias() {
		if _, err := c.Setup(desc.BaseURL, m, 0, 0); err != nil {
			return false, fmt.Errorf("setup %s: %w", m.Type, explain(err))
		}
	}
	rd := newReader(c, sel, p.h)
	rd.attach()
	// The handler learns the stream before PLAY: the first packets, which
	// may carry the only parameter sets the camera sends, must find it
	// ready.
	p.h.OnStream(hk.started(sel.info))
	if _, err := c.Play(nil); err != nil {
		return false, fmt.Errorf("play: %w", explain(err))
	}
	err = c.Wait()
	return true, explain(hk.sessionErr(err))
}

// Errors a camera status can name.
var (
	ErrUnauthorized = errors.New("camera rejected the user name or password (401 Unauthorized)")
	ErrNotFound     = errors.New("camera has no stream at this path (404 Not Found)")
	ErrNoVideo      = errors.New("camera stream has no H.264 or H.265 video")
)

// explain turns library errors into ones an administrator can act on.
func explain(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "bad status code: 401"):
		return ErrUnauthorized
	case strings.Contains(msg, "bad status code: 404"):
		return ErrNotFound
	case strings.Contains(msg, "bad status code: 461"):
		return fmt.Errorf("camera refused this transport (461 Unsupported Transport); try transport auto: %w", err)
	case strings.Contains(msg, "connection refused"):
		return fmt.Errorf("camera refused the connection: %w", err)
	case strings.Contains(msg, "i/o timeout"), strings.Contains(msg, "deadline exceeded"), strings.Contains(msg, "timed out"):
		return fmt.Errorf("camera did not answer in time: %w", err)
	case strings.Contains(msg, "UDP timeout"), strings.Contains(msg, "TCP timeout"):
		return fmt.Errorf("camera stopped sending video: %w", err)
	case strings.Contains(msg, "certificate"):
		return fmt.Errorf("camera TLS certificate not trusted (set its SHA-256 fingerprint to accept a self-signed one): %w", err)
	}
	return err
}

// udpReadBuffer picks the socket receive buffer for RTP over UDP. A 4K
// camera's keyframe (≈300 KB) arrives as one burst, more than Linux's
// default 208 KB buffer holds when the reader is briefly descheduled.
// gortsplib fails the setup when the kernel grants less than asked, so ask
// for no more than net.core.rmem_max allows, and nothing when that is small.
func udpReadBuffer() int {
	const want = 2 << 20
	b, err := os.ReadFile("/proc/sys/net/core/rmem_max")
	if err != nil {
		return 0
	}
	limit, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || limit < 1<<20 {
		return 0
	}
	return min(want, limit)
}
