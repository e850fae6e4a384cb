package relay

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph265"
	"github.com/pion/rtp"

	"github.com/vms-project/vms/internal/rtsp"
)

// hubHandler receives the RTSP puller's events for a hub.
type hubHandler struct {
	h *Hub
	// started is true once the session delivered its first keyframe.
	started bool
	// warnings are the session's quirks found by the RTSP client; the
	// status shows them followed by the parameter sets' warnings.
	warnings []string
	shown    int // len(h.params.warnings) when the status was updated
}

var _ rtsp.Handler = (*hubHandler)(nil)

func (hh *hubHandler) OnConnecting(attempt int) {
	h := hh.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if attempt > 1 {
		h.status.Reconnects++
	}
	if h.status.State == StateIdle {
		h.setStateLocked(StateConnecting, "")
	}
}

func (hh *hubHandler) OnStream(info rtsp.StreamInfo) {
	h := hh.h
	h.mu.Lock()
	var stale []*viewer
	if h.info != nil && h.info.Video.Codec != info.Video.Codec {
		// Viewers negotiated the old codec and cannot switch in place.
		for v := range h.viewers {
			stale = append(stale, v)
		}
	}
	old := h.params
	v := info.Video
	h.params = newParamSets(v.Codec == rtsp.CodecH265, v.VPS, v.SPS, v.PPS)
	if old != nil && old.h265 == h.params.h265 && !h.params.ready() {
		// Same camera, new session: until the stream says otherwise, its
		// parameter sets are the ones it used a moment ago.
		h.params.vps, h.params.pps = firstNonNil(h.params.vps, old.vps), firstNonNil(h.params.pps, old.pps)
		if h.params.sps == nil && old.sps != nil {
			h.params.setSPS(old.sps)
		}
	}
	if err := h.initEncoderLocked(v.Codec); err != nil {
		h.log.Error("cannot packetize camera video", "err", err)
	}
	h.info = &info
	h.live, hh.started = true, false
	h.videoClock.rebase, h.audioClock.rebase = true, true
	h.status.Transport = info.Transport
	h.status.VideoCodec = v.Codec
	h.status.Ignored = info.Ignored
	hh.warnings = info.Warnings
	hh.updateWarningsLocked()
	h.status.AudioCodec, h.status.AudioNote = "", ""
	if a := info.Audio; a != nil {
		h.status.AudioCodec = a.Codec
		if !a.Playable {
			h.status.AudioNote = "audio not playable in browser: " + a.Reason
		}
	}
	h.applyVideoInfoLocked()
	h.setStateLocked(StateConnecting, "waiting for the first keyframe")
	h.mu.Unlock()
	for _, sv := range stale {
		h.removeViewer(sv, "camera changed video codec")
	}
	h.log.Info("camera stream", "codec", v.Codec, "transport", info.Transport,
		"audio", h.status.AudioCodec, "ignored", strings.Join(info.Ignored, "; "))
}

func (hh *hubHandler) updateWarningsLocked() {
	h := hh.h
	hh.shown = len(h.params.warnings)
	h.status.Warnings = append(append([]string(nil), hh.warnings...), h.params.warnings...)
}

func firstNonNil(a, b []byte) []byte {
	if a != nil {
		return a
	}
	return b
}

func (h *Hub) initEncoderLocked(codec string) error {
	mtu := h.r.opts.PayloadMaxSize
	if codec == rtsp.CodecH265 {
		h.enc264 = nil
		if h.enc265 == nil {
			e := &rtph265.Encoder{PayloadType: 96, PayloadMaxSize: mtu}
			if err := e.Init(); err != nil {
				return fmt.Errorf("init H.265 packetizer: %w", err)
			}
			h.enc265 = e
		}
		return nil
	}
	h.enc265 = nil
	if h.enc264 == nil {
		e := &rtph264.Encoder{PayloadType: 96, PacketizationMode: 1, PayloadMaxSize: mtu}
		if err := e.Init(); err != nil {
			return fmt.Errorf("init H.264 packetizer: %w", err)
		}
		h.enc264 = e
	}
	return nil
}

func (h *Hub) applyVideoInfoLocked() {
	vi := h.params.info
	if vi.Width > 0 {
		h.status.Width, h.status.Height = vi.Width, vi.Height
		h.status.Profile = vi.Profile
	}
}

func (hh *hubHandler) OnVideo(u rtsp.VideoUnit) {
	h := hh.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.params == nil || (h.enc264 == nil && h.enc265 == nil) {
		return
	}
	nalus, key := h.params.prepare(u.NALUs, u.RandomAccess)
	if len(h.params.warnings) != hh.shown {
		hh.updateWarningsLocked()
	}
	if len(nalus) == 0 {
		return // parameter sets on their own: held for the next frame
	}
	if !hh.started {
		if !key {
			return // a decoder cannot start before a complete keyframe
		}
		hh.started = true
	}
	ts := h.videoClock.ts(u.PTS, 90000, u.Received)
	pkts, err := h.packetizeLocked(nalus, ts)
	if err != nil {
		h.log.Warn("cannot packetize frame", "err", err)
		return
	}
	f := newFrame(kindVideo, key, pkts)
	h.publishLocked(f)
	h.meter.add(u.Received, f.bytes)
	h.status.Frames++
	h.status.LastFrameAt = u.Received
	if key {
		h.applyVideoInfoLocked()
	}
	if h.status.State != StateOnline {
		h.setStateLocked(StateOnline, "")
	}
}

func (hh *hubHandler) OnAudio(p rtsp.AudioPacket) {
	h := hh.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if !hh.started || h.info == nil || h.info.Audio == nil {
		return
	}
	ts := h.audioClock.ts(p.PTS, h.info.Audio.ClockRate, time.Now())
	pkt := &rtp.Packet{Header: rtp.Header{Version: 2, Marker: true, Timestamp: ts}, Payload: p.Payload}
	h.publishLocked(newFrame(kindAudio, false, []*rtp.Packet{pkt}))
}

func (hh *hubHandler) OnDisconnect(err error, retryIn time.Duration) {
	h := hh.h
	h.mu.Lock()
	defer h.mu.Unlock()
	h.live, hh.started = false, false
	// New viewers must not start from a GOP of a session that ended.
	h.cache.reset()
	h.meter.reset()
	state := StateOffline
	if errors.Is(err, rtsp.ErrUnauthorized) || errors.Is(err, rtsp.ErrNotFound) || errors.Is(err, rtsp.ErrNoVideo) ||
		errors.Is(err, rtsp.ErrTooManyRedirects) ||
		strings.Contains(fmt.Sprint(err), "certificate") || strings.Contains(fmt.Sprint(err), "invalid camera URL") {
		state = StateError
	}
	reason := "camera disconnected"
	if err != nil {
		reason = err.Error()
	}
	if retryIn > 0 {
		reason += fmt.Sprintf(" (retrying in %s)", retryIn.Round(100*time.Millisecond))
	}
	h.setStateLocked(state, reason)
}
