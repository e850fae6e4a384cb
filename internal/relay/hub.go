package relay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph265"
	"github.com/pion/rtp"

	"github.com/vms-project/vms/internal/rtsp"
)

// CameraConfig is what the relay needs to know of a camera.
type CameraConfig struct {
	ID       int64
	Name     string
	UnitCode string
	Source   rtsp.Source
	// OnDemand cameras are pulled only while someone watches (plus the
	// linger time); the others are pulled all the time.
	OnDemand bool
	// SubSource is the camera's low-resolution second stream, if it has
	// one. Grids of many tiles ask for it; it is always pulled on demand.
	SubSource *rtsp.Source
}

// Hub owns one camera: its single RTSP session, the keyframe cache and the
// viewers. The camera reader goroutine publishes each frame to every
// viewer's queue and never waits for a viewer.
type Hub struct {
	r   *Relay
	log *slog.Logger
	// sub is set for a camera's sub-stream hub, whose state changes are
	// not reported to Hooks.OnStateChange. Set once, before the hub is
	// published.
	sub bool

	mu      sync.Mutex
	cfg     CameraConfig
	viewers map[*viewer]struct{}
	status  Status
	// changed is closed and replaced whenever the stream info or state
	// changes, so WHEP requests can wait for a camera to come up.
	changed chan struct{}

	// pulling
	pullCancel context.CancelFunc
	pullDone   chan struct{}
	linger     *time.Timer

	// stream (reset per RTSP session where noted)
	info       *rtsp.StreamInfo // last session's; kept across reconnects
	live       bool             // a session is playing (between OnStream and OnDisconnect)
	params     *paramSets
	enc264     *rtph264.Encoder
	enc265     *rtph265.Encoder
	cache      *gopCache
	meter      rateMeter
	videoClock timeline
	audioClock timeline
}

func newHub(r *Relay, cfg CameraConfig) *Hub {
	h := &Hub{
		r:       r,
		cfg:     cfg,
		log:     r.log.With("camera", cfg.ID),
		viewers: make(map[*viewer]struct{}),
		changed: make(chan struct{}),
		cache:   newGOPCache(r.opts.GOPCacheBytes),
		status:  Status{State: StateIdle, Since: time.Now()},
	}
	if !cfg.OnDemand {
		h.startPullLocked()
	}
	return h
}

// notifyLocked wakes everyone waiting for a change.
func (h *Hub) notifyLocked() {
	close(h.changed)
	h.changed = make(chan struct{})
}

func (h *Hub) setStateLocked(s State, reason string) {
	if h.status.State != s || h.status.Reason != reason {
		h.status.State, h.status.Reason, h.status.Since = s, reason, time.Now()
		h.stateChangedLocked()
	}
	h.notifyLocked()
}

func (h *Hub) startPullLocked() {
	if h.linger != nil {
		h.linger.Stop()
		h.linger = nil
	}
	if h.pullCancel != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	h.pullCancel, h.pullDone = cancel, done
	h.status.Pulling = true
	p := rtsp.NewPuller(h.cfg.Source, &hubHandler{h: h}, h.log.With("component", "rtsp"), h.r.opts.RTSP)
	go func() {
		defer close(done)
		_ = p.Run(ctx) // failures are reported through the handler
	}()
}

// stopPull stops the RTSP session and waits for its reader to finish.
func (h *Hub) stopPull() {
	h.mu.Lock()
	cancel, done := h.detachPullLocked()
	h.mu.Unlock()
	h.finishStop(cancel, done)
}

// detachPullLocked takes the running session out of the hub, so a viewer
// arriving while it shuts down starts a fresh one.
func (h *Hub) detachPullLocked() (context.CancelFunc, chan struct{}) {
	cancel, done := h.pullCancel, h.pullDone
	h.pullCancel, h.pullDone = nil, nil
	if h.linger != nil {
		h.linger.Stop()
		h.linger = nil
	}
	return cancel, done
}

func (h *Hub) finishStop(cancel context.CancelFunc, done chan struct{}) {
	if cancel == nil {
		return
	}
	cancel()
	<-done
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.pullCancel != nil {
		return // restarted meanwhile
	}
	h.status.Pulling = false
	h.live = false
	h.cache.reset()
	h.meter.reset()
	h.setStateLocked(StateIdle, "")
}

// scheduleLingerLocked stops an on-demand camera a while after its last
// viewer left: commune links are slow, so a viewer who comes back soon
// should not pay for a new RTSP session.
func (h *Hub) scheduleLingerLocked() {
	if !h.cfg.OnDemand || len(h.viewers) > 0 || h.pullCancel == nil || h.linger != nil {
		return
	}
	var t *time.Timer
	t = time.AfterFunc(h.r.opts.Linger, func() {
		h.mu.Lock()
		if h.linger != t || len(h.viewers) > 0 || !h.cfg.OnDemand {
			h.mu.Unlock()
			return
		}
		cancel, done := h.detachPullLocked()
		h.mu.Unlock()
		h.log.Info("stopping idle camera", "linger", h.r.opts.Linger)
		h.finishStop(cancel, done)
	})
	h.linger = t
}

// update applies a changed camera configuration.
func (h *Hub) update(cfg CameraConfig) {
	h.mu.Lock()
	restart := cfg.Source != h.cfg.Source && h.pullCancel != nil
	h.cfg = cfg
	h.mu.Unlock()
	if restart {
		h.stopPull()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !cfg.OnDemand || len(h.viewers) > 0 {
		h.startPullLocked()
	} else {
		h.scheduleLingerLocked()
	}
}

// close stops the camera and disconnects every viewer.
func (h *Hub) close(reason string) {
	h.mu.Lock()
	vs := make([]*viewer, 0, len(h.viewers))
	for v := range h.viewers {
		vs = append(vs, v)
	}
	h.mu.Unlock()
	for _, v := range vs {
		h.removeViewer(v, reason)
	}
	h.stopPull()
}

// Status returns a snapshot of the camera's state.
func (h *Hub) Status() Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.status
	s.Viewers = len(h.viewers)
	s.FPS, s.BitrateKbps = h.meter.fps, h.meter.kbps
	s.Ignored = append([]string(nil), s.Ignored...)
	s.Warnings = append([]string(nil), s.Warnings...)
	for v := range h.viewers {
		d, _, _ := v.q.stats()
		s.DroppedFrames += d
	}
	return s
}

// waitStream starts pulling if needed and waits until the camera's stream
// is known, so a WHEP answer can offer the right codec.
func (h *Hub) waitStream(ctx context.Context) (rtsp.StreamInfo, error) {
	h.mu.Lock()
	h.startPullLocked()
	h.mu.Unlock()
	for {
		h.mu.Lock()
		info, live, st, ch := h.info, h.live, h.status, h.changed
		h.mu.Unlock()
		if live && info != nil {
			return *info, nil
		}
		if st.State == StateError || st.State == StateOffline {
			return rtsp.StreamInfo{}, &CameraError{State: st.State, Reason: st.Reason}
		}
		select {
		case <-ctx.Done():
			return rtsp.StreamInfo{}, &CameraError{State: StateConnecting, Reason: "camera did not answer in time"}
		case <-ch:
		}
	}
}

// CameraError says why a camera cannot be watched right now.
type CameraError struct {
	State  State
	Reason string
}

func (e *CameraError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("camera is %s", e.State)
	}
	return fmt.Sprintf("camera is %s: %s", e.State, e.Reason)
}

// addViewer registers v and queues the cached GOP for it.
func (h *Hub) addViewer(v *viewer) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if max := h.r.opts.MaxViewersPerCamera; max > 0 && len(h.viewers) >= max {
		return fmt.Errorf("%w: %d viewers already watch this camera", ErrTooManyViewers, max)
	}
	h.viewers[v] = struct{}{}
	for _, f := range h.cache.snapshot() {
		v.q.push(queueItem{f: f, burst: true})
	}
	h.startPullLocked()
	return nil
}

// ErrTooManyViewers is returned when a camera has reached its viewer cap.
var ErrTooManyViewers = errors.New("too many viewers")

// replayCache restarts a viewer at the latest cached keyframe.
func (h *Hub) replayCache(v *viewer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.viewers[v]; !ok {
		return
	}
	snap := h.cache.snapshot()
	if len(snap) == 0 {
		return
	}
	v.q.reset()
	for _, f := range snap {
		v.q.push(queueItem{f: f, burst: true})
	}
}

// removeViewer unregisters v and closes it without waiting, so it is safe
// to call from the viewer's own goroutines.
func (h *Hub) removeViewer(v *viewer, reason string) {
	h.mu.Lock()
	_, ok := h.viewers[v]
	delete(h.viewers, v)
	h.scheduleLingerLocked()
	h.mu.Unlock()
	if !ok {
		return
	}
	h.r.forgetSession(v.id)
	h.log.Info("viewer left", "session", v.id, "user", v.info.Username, "reason", reason,
		"duration", time.Since(v.started).Round(time.Second))
	if h.r.hooks.OnViewStop != nil {
		h.r.hooks.OnViewStop(h.cfg, v.info, time.Since(v.started), reason)
	}
	h.r.background(v.close)
}

// publishLocked hands a frame to the cache and every viewer.
func (h *Hub) publishLocked(f *frame) {
	if f.kind == kindVideo {
		h.cache.add(f)
	}
	for v := range h.viewers {
		if !v.q.push(queueItem{f: f}) && v.q.takeOverflow() {
			h.log.Warn("viewer too slow: dropped its queued frames, resuming at the next keyframe",
				"session", v.id, "user", v.info.Username, "queue", len(v.q.items))
		}
	}
}

// timeline maps a session's presentation times onto one continuous RTP
// clock per track, so a camera that reconnects (with a new random RTP
// base) looks to viewers like a stream that paused: no renegotiation.
type timeline struct {
	started  bool
	rebase   bool
	offset   int64
	lastTS   uint32
	lastWall time.Time
}

func (t *timeline) ts(pts int64, clockRate int, now time.Time) uint32 {
	switch {
	case !t.started:
		t.offset = int64(rand.Uint32()) - pts
		t.started = true
	case t.rebase:
		gap := max(now.Sub(t.lastWall), 0)
		t.offset = int64(t.lastTS) + int64(gap.Seconds()*float64(clockRate)) + 1 - pts
	}
	t.rebase = false
	t.lastTS = uint32(pts + t.offset)
	t.lastWall = now
	return t.lastTS
}

// packetize turns an access unit into RTP packets at the viewers' MTU.
func (h *Hub) packetizeLocked(nalus [][]byte, ts uint32) ([]*rtp.Packet, error) {
	var pkts []*rtp.Packet
	var err error
	if h.enc265 != nil {
		pkts, err = h.enc265.Encode(nalus)
	} else {
		pkts, err = h.enc264.Encode(nalus)
	}
	if err != nil {
		return nil, err
	}
	for _, p := range pkts {
		p.Timestamp = ts
	}
	return pkts, nil
}
