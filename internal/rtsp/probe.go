package rtsp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// DefaultProbeTimeout bounds Probe when it is given no timeout.
const DefaultProbeTimeout = 10 * time.Second

// ProbeVideo is what a probe learnt of the camera's video: the codec from
// the SDP, the profile and resolution from the first keyframe's SPS (or
// the SDP's).
type ProbeVideo struct {
	Codec   string
	Profile string
	Width   int
	Height  int
}

// ProbeResult is a successful probe: the camera described its stream,
// played it and sent a keyframe.
type ProbeResult struct {
	Elapsed   time.Duration
	Transport string // "UDP" or "TCP"
	Video     ProbeVideo
	Audio     *AudioTrack // nil when the camera sends no audio
	Ignored   []string
	Warnings  []string
}

// ErrNoKeyframe is Probe's error when the camera played but sent no
// keyframe in time.
var ErrNoKeyframe = errors.New("camera sent no video keyframe in time")

// Probe connects to src exactly as a Puller would (same transports,
// authentication, TLS pinning and camera workarounds), waits for the
// stream description and the first keyframe, and disconnects. It makes one
// attempt: the error is the one the camera status would show (credentials
// refused, no such path, connection refused …), with the password
// redacted. It gives up after timeout (DefaultProbeTimeout if ≤ 0).
func Probe(ctx context.Context, src Source, timeout time.Duration) (ProbeResult, error) {
	if timeout <= 0 {
		timeout = DefaultProbeTimeout
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	h := &probeHandler{done: make(chan struct{})}
	// One attempt: the backoff before a second one outlasts the probe.
	p := NewPuller(src, h, slog.New(slog.DiscardHandler), Options{MinBackoff: time.Hour, ReadTimeout: timeout})
	var wg sync.WaitGroup
	wg.Go(func() { _ = p.Run(ctx) })
	select {
	case <-h.done:
	case <-ctx.Done():
	}
	cancel()
	wg.Wait()
	res, err := h.result()
	res.Elapsed = time.Since(start)
	if err != nil {
		return res, err
	}
	if res.Video.Codec == "" {
		return res, fmt.Errorf("camera did not answer in time (%s): %w", timeout, context.DeadlineExceeded)
	}
	if res.Video.Width == 0 {
		return res, ErrNoKeyframe
	}
	return res, nil
}

// probeHandler records the first session's stream and keyframe, or its
// failure. Its callbacks never block.
type probeHandler struct {
	mu       sync.Mutex
	res      ProbeResult
	sps      []byte // from the SDP
	h265     bool
	err      error
	finished bool
	done     chan struct{}
}

var _ Handler = (*probeHandler)(nil)

func (h *probeHandler) finishLocked() {
	if !h.finished {
		h.finished = true
		close(h.done)
	}
}

func (h *probeHandler) result() (ProbeResult, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.res, h.err
}

func (h *probeHandler) OnConnecting(int) {}

func (h *probeHandler) OnStream(info StreamInfo) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.finished {
		return
	}
	h.res.Transport = info.Transport
	h.res.Audio = info.Audio
	h.res.Ignored = append([]string{}, info.Ignored...)
	h.res.Warnings = append([]string{}, info.Warnings...)
	if v := info.Video; v != nil {
		h.res.Video.Codec = v.Codec
		h.h265 = v.Codec == CodecH265
		h.sps = v.SPS
	}
}

func (h *probeHandler) OnVideo(u VideoUnit) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.finished || h.res.Video.Codec == "" || !u.RandomAccess {
		return
	}
	sps := inbandSPS(u.NALUs, h.h265)
	if sps == nil {
		sps = h.sps
	}
	vi, err := parseSPS(sps, h.h265)
	if err != nil {
		h.res.Warnings = append(h.res.Warnings, "could not read the resolution from the stream: "+err.Error())
		vi = ProbeVideo{}
	}
	vi.Codec = h.res.Video.Codec
	h.res.Video = vi
	if vi.Width == 0 {
		return // wait for a keyframe with a readable SPS
	}
	h.finishLocked()
}

func (h *probeHandler) OnAudio(AudioPacket) {}

func (h *probeHandler) OnDisconnect(err error, _ time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.finished {
		return
	}
	if err == nil {
		err = errors.New("camera disconnected")
	}
	h.err = err
	h.finishLocked()
}
