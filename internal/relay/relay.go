// Package relay fans each camera's single RTSP session out to WebRTC
// viewers (WHEP, RFC 9725): one hub per camera, one bounded queue and one
// writer goroutine per viewer, and a keyframe cache for instant start.
package relay

import (
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/vms-project/vms/internal/rtsp"
)

// Options configure the relay. Zero values take the defaults.
type Options struct {
	// Linger keeps an on-demand camera pulled after its last viewer left.
	Linger              time.Duration
	MaxViewersPerCamera int
	// GOPCacheBytes caps the keyframe cache per camera (default 8 MiB).
	GOPCacheBytes int
	// QueueFrames bounds each viewer's queue (default 1024 frames).
	QueueFrames int
	// PayloadMaxSize is the largest RTP payload sent to viewers (default
	// 1200 bytes, which fits every path MTU WebRTC meets in practice).
	PayloadMaxSize int
	// StreamTimeout bounds how long a WHEP request waits for an idle
	// camera to connect (default 10 s).
	StreamTimeout time.Duration
	RTSP          rtsp.Options
	WebRTC        WebRTCOptions
}

func (o Options) withDefaults() Options {
	if o.Linger <= 0 {
		o.Linger = 30 * time.Second
	}
	if o.GOPCacheBytes <= 0 {
		o.GOPCacheBytes = 8 << 20
	}
	if o.QueueFrames <= 0 {
		o.QueueFrames = 1024
	}
	if o.PayloadMaxSize <= 0 {
		o.PayloadMaxSize = 1200
	}
	if o.StreamTimeout <= 0 {
		o.StreamTimeout = 10 * time.Second
	}
	return o
}

// Hooks let the application observe live viewing (for the audit log).
// Each may be nil.
type Hooks struct {
	OnViewStart func(cam CameraConfig, who ViewerInfo)
	OnViewStop  func(cam CameraConfig, who ViewerInfo, watched time.Duration, reason string)
	// OnStateChange is called whenever a camera's main stream changes state
	// or reason, with the new status (see statehook.go). It runs with the
	// camera's lock held, on the RTSP reader's goroutine among others: it
	// must return at once and must not call back into the relay.
	OnStateChange func(cam CameraConfig, st Status)
}

// Relay holds every camera hub and the shared WebRTC stack.
type Relay struct {
	log   *slog.Logger
	opts  Options
	hooks Hooks
	rtc   *webrtcStack

	mu       sync.Mutex
	hubs     map[int64]*Hub
	subHubs  map[int64]*Hub // sub-streams, for cameras that have one
	sessions map[string]*viewer
	closed   bool
	// closing counts viewers being closed in the background.
	closing sync.WaitGroup
}

// New starts the relay's WebRTC listeners. Cameras are added with
// Configure.
func New(opts Options, hooks Hooks, log *slog.Logger) (*Relay, error) {
	opts = opts.withDefaults()
	r := &Relay{
		log:      log.With("component", "relay"),
		opts:     opts,
		hooks:    hooks,
		hubs:     make(map[int64]*Hub),
		subHubs:  make(map[int64]*Hub),
		sessions: make(map[string]*viewer),
	}
	rtc, err := newWebRTCStack(opts.WebRTC, r.log)
	if err != nil {
		return nil, fmt.Errorf("relay: %w", err)
	}
	r.rtc = rtc
	return r, nil
}

// ICEPort is the UDP (and TCP) port viewers' ICE traffic uses.
func (r *Relay) ICEPort() int { return r.rtc.port }

// Configure adds a camera or applies its changed settings. An always-on
// camera starts pulling at once.
func (r *Relay) Configure(cfg CameraConfig) {
	var sub *CameraConfig
	if cfg.SubSource != nil && cfg.SubSource.URL != "" {
		c := cfg
		c.Source, c.SubSource, c.OnDemand = *cfg.SubSource, nil, true
		sub = &c
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	main := configureIn(r, r.hubs, cfg, false)
	var subUpdate func()
	var subRemoved *Hub
	if sub != nil {
		subUpdate = configureIn(r, r.subHubs, *sub, true)
	} else if h, ok := r.subHubs[cfg.ID]; ok {
		delete(r.subHubs, cfg.ID)
		subRemoved = h
	}
	r.mu.Unlock()
	main()
	if subUpdate != nil {
		subUpdate()
	}
	if subRemoved != nil {
		subRemoved.close("camera sub-stream removed")
	}
}

// configureIn creates the hub in m (under r.mu) or returns the update to
// run once r.mu is released.
func configureIn(r *Relay, m map[int64]*Hub, cfg CameraConfig, sub bool) func() {
	h, ok := m[cfg.ID]
	if !ok {
		h = newHub(r, cfg)
		if sub {
			// Sub-stream hubs are on demand: nothing runs on h yet.
			h.sub = true
		}
		m[cfg.ID] = h
		return func() {}
	}
	return func() { h.update(cfg) }
}

// Remove stops a camera and disconnects its viewers.
func (r *Relay) Remove(id int64) {
	r.mu.Lock()
	hs := []*Hub{r.hubs[id], r.subHubs[id]}
	delete(r.hubs, id)
	delete(r.subHubs, id)
	r.mu.Unlock()
	for _, h := range hs {
		if h != nil {
			h.close("camera removed")
		}
	}
}

// Stream names a camera's stream in a WHEP request.
const (
	StreamMain = "main"
	StreamSub  = "sub"
)

// hubFor returns the hub serving a camera's stream; a camera without a
// sub-stream serves its main stream for both.
func (r *Relay) hubFor(id int64, stream string) (*Hub, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if stream == StreamSub {
		if h, ok := r.subHubs[id]; ok {
			return h, true
		}
	}
	h, ok := r.hubs[id]
	return h, ok
}

func (r *Relay) hub(id int64) (*Hub, bool) { return r.hubFor(id, StreamMain) }

// Status returns one camera's status.
func (r *Relay) Status(id int64) (Status, bool) {
	h, ok := r.hub(id)
	if !ok {
		return Status{}, false
	}
	return h.Status(), true
}

// CameraIDs lists the configured cameras in id order.
func (r *Relay) CameraIDs() []int64 {
	r.mu.Lock()
	ids := make([]int64, 0, len(r.hubs))
	for id := range r.hubs {
		ids = append(ids, id)
	}
	r.mu.Unlock()
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// DisconnectUser ends every live view of a user, e.g. when the account is
// disabled.
func (r *Relay) DisconnectUser(userID int64, reason string) int {
	return r.Disconnect(func(_ int64, who ViewerInfo) bool { return who.UserID == userID }, reason)
}

// Disconnect ends the live views for which match(camera, viewer) is true,
// e.g. one user's views of a camera moved out of their scope.
func (r *Relay) Disconnect(match func(camID int64, who ViewerInfo) bool, reason string) int {
	r.mu.Lock()
	var vs []*viewer
	for _, v := range r.sessions {
		if match(v.hub.cfg.ID, v.info) {
			vs = append(vs, v)
		}
	}
	r.mu.Unlock()
	for _, v := range vs {
		v.hub.removeViewer(v, reason)
	}
	return len(vs)
}

func (r *Relay) forgetSession(id string) {
	r.mu.Lock()
	delete(r.sessions, id)
	r.mu.Unlock()
}

// background runs f on its own goroutine, which Close waits for. Once
// Close has begun, f runs at once instead: adding to a WaitGroup that is
// being waited on is a race.
func (r *Relay) background(f func()) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		f()
		return
	}
	r.closing.Add(1)
	r.mu.Unlock()
	go func() {
		defer r.closing.Done()
		f()
	}()
}

// Close stops every camera, disconnects every viewer and waits.
func (r *Relay) Close() {
	r.mu.Lock()
	r.closed = true
	hubs := make([]*Hub, 0, len(r.hubs)+len(r.subHubs))
	for _, h := range r.hubs {
		hubs = append(hubs, h)
	}
	for _, h := range r.subHubs {
		hubs = append(hubs, h)
	}
	r.hubs, r.subHubs = map[int64]*Hub{}, map[int64]*Hub{}
	r.mu.Unlock()
	var wg sync.WaitGroup
	for _, h := range hubs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.close("server shutting down")
		}()
	}
	wg.Wait()
	r.closing.Wait()
	r.rtc.close()
}
