// Package faultcam is a fake RTSP camera for tests, scriptable down to the
// bytes it writes: the OPTIONS answer, the SDP, which transports SETUP
// accepts and with which interleaved channels, the session timeout and
// keepalive handling, Basic/Digest challenges, redirects, RTSPS, packet
// alterations (drop, SSRC, markers, timestamps, oversized packets) and a
// fault schedule. It speaks RTSP 1.0 (RFC 2326) over a raw TCP listener,
// not through an RTSP library, so that it can misbehave the way real
// cameras do. Media comes from small committed fixtures (testdata/make.sh).
package faultcam

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Camera is a running fake camera. Create it with Start; Close stops it
// and waits for every goroutine.
type Camera struct {
	cfg   Config
	addr  string
	nonce string

	mu      sync.Mutex
	ln      net.Listener
	conns   map[*conn]struct{}
	video   *Clip
	stats   Stats
	closed  bool
	refused bool

	stopped   atomic.Bool // StopSending in effect
	firstPlay sync.Once
	done      chan struct{}
	wg        sync.WaitGroup
}

// Stats count what the camera saw.
type Stats struct {
	Conns    int            // accepted connections
	Plays    int            // sessions that started playing
	Requests map[string]int // by method
	// Transports lists each playing session's transport ("TCP", "UDP").
	Transports []string
	// Dropped counts sessions closed for lack of keepalives.
	Dropped int
	// PLIs counts picture loss indications received over TCP.
	PLIs int
}

// Start listens on 127.0.0.1 (a free port) and serves cfg.
func Start(cfg Config) (*Camera, error) {
	if cfg.Video == nil {
		return nil, errors.New("faultcam: Config.Video is required")
	}
	cfg = cfg.withDefaults()
	if cfg.SDP == "" {
		cfg.SDP = DefaultSDP(cfg)
	}
	c := &Camera{
		cfg:   cfg,
		conns: map[*conn]struct{}{},
		video: cfg.Video,
		stats: Stats{Requests: map[string]int{}},
		done:  make(chan struct{}),
		nonce: fmt.Sprintf("%016x", time.Now().UnixNano()),
	}
	ln, err := c.listen("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	c.addr = ln.Addr().String()
	c.serve(ln)
	return c, nil
}

func (c *Camera) listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("faultcam: listen: %w", err)
	}
	if c.cfg.TLS != nil {
		ln = tls.NewListener(ln, c.cfg.TLS)
	}
	return ln, nil
}

func (c *Camera) serve(ln net.Listener) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		_ = ln.Close()
		return
	}
	c.ln = ln
	c.wg.Add(1)
	c.mu.Unlock()
	go func() {
		defer c.wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			c.mu.Lock()
			if c.closed {
				c.mu.Unlock()
				_ = nc.Close()
				return
			}
			cn := newConn(c, nc)
			c.conns[cn] = struct{}{}
			c.stats.Conns++
			c.wg.Add(1)
			c.mu.Unlock()
			go func() {
				defer c.wg.Done()
				cn.run()
				c.mu.Lock()
				delete(c.conns, cn)
				c.mu.Unlock()
			}()
		}
	}()
}

// Addr is the camera's host:port.
func (c *Camera) Addr() string { return c.addr }

// URL is the camera's stream URL for path (default "/stream").
func (c *Camera) URL(path ...string) string {
	p := "/stream"
	if len(path) > 0 {
		p = path[0]
	}
	scheme := "rtsp"
	if c.cfg.TLS != nil {
		scheme = "rtsps"
	}
	return scheme + "://" + c.addr + p
}

// Stats returns a copy of the counters.
func (c *Camera) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Requests = make(map[string]int, len(c.stats.Requests))
	for k, v := range c.stats.Requests {
		s.Requests[k] = v
	}
	s.Transports = append([]string(nil), c.stats.Transports...)
	return s
}

// SetVideo switches every session to clip at its next frame, starting at
// the clip's first keyframe: a camera reconfigured mid-stream.
func (c *Camera) SetVideo(clip *Clip) {
	c.mu.Lock()
	c.video = clip
	c.mu.Unlock()
}

func (c *Camera) currentVideo() *Clip {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.video
}

// StopSending keeps sessions open but sends no media until ResumeSending.
func (c *Camera) StopSending() { c.stopped.Store(true) }

// ResumeSending undoes StopSending.
func (c *Camera) ResumeSending() { c.stopped.Store(false) }

// ResetConnections resets (TCP RST) every client connection.
func (c *Camera) ResetConnections() {
	c.mu.Lock()
	cs := make([]*conn, 0, len(c.conns))
	for cn := range c.conns {
		cs = append(cs, cn)
	}
	c.mu.Unlock()
	for _, cn := range cs {
		cn.reset()
	}
}

// RefuseConnections closes the listener, so that connecting fails with
// "connection refused", and listens again on the same port after d.
func (c *Camera) RefuseConnections(d time.Duration) {
	c.mu.Lock()
	if c.closed || c.refused {
		c.mu.Unlock()
		return
	}
	c.refused = true
	_ = c.ln.Close()
	c.mu.Unlock()
	c.after(d, func() {
		c.mu.Lock()
		c.refused = false
		c.mu.Unlock()
		if ln, err := c.listen(c.addr); err == nil {
			c.serve(ln)
		}
	})
}

// after runs f after d unless the camera closes first.
func (c *Camera) after(d time.Duration, f func()) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-c.done:
		case <-t.C:
			f()
		}
	}()
}

// onPlay starts the fault schedule at the first PLAY.
func (c *Camera) onPlay(transport string) {
	c.mu.Lock()
	c.stats.Plays++
	c.stats.Transports = append(c.stats.Transports, transport)
	c.mu.Unlock()
	c.firstPlay.Do(func() {
		for _, f := range c.cfg.Faults {
			c.after(f.At, func() { c.fault(f) })
		}
	})
}

func (c *Camera) fault(f Fault) {
	switch f.Kind {
	case StopSending:
		c.StopSending()
		if f.For > 0 {
			c.after(f.For, c.ResumeSending)
		}
	case ResetConnections:
		c.ResetConnections()
	case RefuseConnections:
		// Listener first: a client whose session is reset must find the
		// port closed when it dials again at once.
		c.RefuseConnections(f.For)
		c.ResetConnections()
	}
}

func (c *Camera) count(f func(s *Stats)) {
	c.mu.Lock()
	f(&c.stats)
	c.mu.Unlock()
}

// Close stops the camera, resets its connections and waits.
func (c *Camera) Close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	close(c.done)
	_ = c.ln.Close()
	c.mu.Unlock()
	c.ResetConnections()
	c.wg.Wait()
}
