// Package whepclient is a WebRTC viewer speaking WHEP (RFC 9725), built on
// pion. The relay's integration tests and the load tool (vms bench) use it
// to watch cameras exactly as a browser would, and to measure what a
// viewer receives.
package whepclient

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// Options tune a viewer.
type Options struct {
	// Token is sent as "Authorization: Bearer" when set.
	Token string
	// Codecs the viewer offers; default H.264 only (like a browser without
	// H.265 support). Use webrtc MIME types.
	Codecs []string
	// TCP forces ICE over TCP (networks that block UDP).
	TCP bool
	// OnFrame is called for each complete video access unit, in the
	// viewer's receive goroutine.
	OnFrame func(f Frame)
	HTTP    *http.Client
	// ReadBuffer is the UDP receive buffer in bytes (default
	// DefaultReadBuffer; negative keeps the system default).
	ReadBuffer int
}

// Frame is one received H.264 access unit.
type Frame struct {
	NALUs     [][]byte
	Timestamp uint32
	Arrived   time.Time
	IDR       bool
}

// Stats are what the viewer received so far.
type Stats struct {
	Packets, Lost, Frames uint64
	Bytes                 uint64
	// AudioPackets counts packets on the audio track; AudioCodec is its
	// negotiated MIME type ("" without audio).
	AudioPackets uint64
	AudioCodec   string
	// FirstFrame is the delay from the WHEP request to the first complete
	// keyframe; zero until then.
	FirstFrame time.Duration
	// FirstFrameDecodable reports whether the first keyframe had SPS and
	// PPS before it, i.e. a decoder could show it.
	FirstFrameDecodable bool
	// FramesBeforeKeyframe counts frames that arrived before any keyframe
	// (the start of the stream was lost); the viewer then asks for a
	// keyframe with a PLI, as browsers do.
	FramesBeforeKeyframe uint64
	PLIsSent             uint64
}

// HTTPError is a non-201 answer to the offer.
type HTTPError struct {
	Status int
	Body   string
}

func (e *HTTPError) Error() string { return fmt.Sprintf("whep: HTTP %d: %s", e.Status, e.Body) }

// Viewer is one open WHEP session.
type Viewer struct {
	pc       *webrtc.PeerConnection
	resource string
	opts     Options
	start    time.Time

	mu      sync.Mutex
	stats   Stats
	lastPLI time.Time
	done    chan struct{}
	wg      sync.WaitGroup
}

// Dial sends an offer to endpoint (…/cameras/{id}/whep) and returns once
// the answer is applied; media flows in the background.
func Dial(ctx context.Context, endpoint string, opts Options) (*Viewer, error) {
	if opts.HTTP == nil {
		opts.HTTP = http.DefaultClient
	}
	if len(opts.Codecs) == 0 {
		opts.Codecs = []string{webrtc.MimeTypeH264}
	}
	api, err := newAPI(opts)
	if err != nil {
		return nil, err
	}
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, fmt.Errorf("whep: peer connection: %w", err)
	}
	v := &Viewer{pc: pc, opts: opts, start: time.Now(), done: make(chan struct{})}
	if _, err := pc.AddTransceiverFromKind(webrtc.RTPCodecTypeVideo, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
		_ = pc.Close()
		return nil, fmt.Errorf("whep: add video: %w", err)
	}
	if _, err := pc.AddTransceiverFromKind(webrtc.RTPCodecTypeAudio, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
		_ = pc.Close()
		return nil, fmt.Errorf("whep: add audio: %w", err)
	}
	pc.OnTrack(func(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		if tr.Kind() != webrtc.RTPCodecTypeVideo {
			v.wg.Add(1)
			go func() { defer v.wg.Done(); v.readAudio(tr) }()
			return
		}
		v.wg.Add(1)
		go func() { defer v.wg.Done(); v.readVideo(tr) }()
	})
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		_ = pc.Close()
		return nil, fmt.Errorf("whep: offer: %w", err)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(offer); err != nil {
		_ = pc.Close()
		return nil, fmt.Errorf("whep: set offer: %w", err)
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		_ = pc.Close()
		return nil, ctx.Err()
	}
	v.start = time.Now()
	answer, loc, err := v.post(ctx, endpoint, pc.LocalDescription().SDP)
	if err != nil {
		_ = pc.Close()
		return nil, err
	}
	v.resource = loc
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer}); err != nil {
		_ = pc.Close()
		return nil, fmt.Errorf("whep: apply answer: %w", err)
	}
	return v, nil
}

func newAPI(opts Options) (*webrtc.API, error) {
	me := &webrtc.MediaEngine{}
	pt := webrtc.PayloadType(102)
	for _, c := range opts.Codecs {
		fmtp := ""
		if c == webrtc.MimeTypeH264 {
			fmtp = "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"
		}
		if err := me.RegisterCodec(webrtc.RTPCodecParameters{
			RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: c, ClockRate: 90000, SDPFmtpLine: fmtp,
				RTCPFeedback: []webrtc.RTCPFeedback{{Type: "nack"}, {Type: "nack", Parameter: "pli"}}},
			PayloadType: pt,
		}, webrtc.RTPCodecTypeVideo); err != nil {
			return nil, fmt.Errorf("whep: register %s: %w", c, err)
		}
		pt++
	}
	for _, a := range []struct {
		mime string
		pt   webrtc.PayloadType
		rate uint32
		ch   uint16
	}{{webrtc.MimeTypeOpus, 111, 48000, 2}, {webrtc.MimeTypePCMU, 0, 8000, 0}, {webrtc.MimeTypePCMA, 8, 8000, 0}} {
		if err := me.RegisterCodec(webrtc.RTPCodecParameters{
			RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: a.mime, ClockRate: a.rate, Channels: a.ch},
			PayloadType:        a.pt,
		}, webrtc.RTPCodecTypeAudio); err != nil {
			return nil, fmt.Errorf("whep: register %s: %w", a.mime, err)
		}
	}
	ir := &interceptor.Registry{}
	// Receiver reports tell the relay the viewer is receiving.
	if err := webrtc.ConfigureRTCPReports(ir); err != nil {
		return nil, err
	}
	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(true)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	if opts.TCP {
		se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeTCP4})
	} else {
		se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	}
	if opts.ReadBuffer >= 0 {
		n, err := NewBufferedNet(cmp.Or(opts.ReadBuffer, DefaultReadBuffer))
		if err != nil {
			return nil, fmt.Errorf("whep: network: %w", err)
		}
		se.SetNet(n)
	}
	return webrtc.NewAPI(webrtc.WithMediaEngine(me), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(se)), nil
}

func (v *Viewer) post(ctx context.Context, endpoint, offer string) (answer, location string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(offer))
	if err != nil {
		return "", "", fmt.Errorf("whep: %w", err)
	}
	req.Header.Set("Content-Type", "application/sdp")
	if v.opts.Token != "" {
		req.Header.Set("Authorization", "Bearer "+v.opts.Token)
	}
	res, err := v.opts.HTTP.Do(req)
	if err != nil {
		return "", "", fmt.Errorf("whep: post offer: %w", err)
	}
	defer func() { _ = res.Body.Close() }()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if res.StatusCode != http.StatusCreated {
		return "", "", &HTTPError{Status: res.StatusCode, Body: strings.TrimSpace(string(body))}
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || loc.String() == "" {
		return "", "", errors.New("whep: answer without a Location")
	}
	base, _ := url.Parse(endpoint)
	return string(body), base.ResolveReference(loc).String(), nil
}

func (v *Viewer) readAudio(tr *webrtc.TrackRemote) {
	v.mu.Lock()
	v.stats.AudioCodec = tr.Codec().MimeType
	v.mu.Unlock()
	buf := make([]byte, 1500)
	for {
		if _, _, err := tr.Read(buf); err != nil {
			return
		}
		v.mu.Lock()
		v.stats.AudioPackets++
		v.mu.Unlock()
	}
}

func (v *Viewer) readVideo(tr *webrtc.TrackRemote) {
	dec := &rtph264.Decoder{PacketizationMode: 1}
	_ = dec.Init()
	var haveSeq bool
	var next uint16
	sawKey := false
	for {
		pkt, _, err := tr.ReadRTP()
		if err != nil {
			return
		}
		now := time.Now()
		v.mu.Lock()
		v.stats.Packets++
		v.stats.Bytes += uint64(len(pkt.Payload))
		if haveSeq && pkt.SequenceNumber != next {
			v.stats.Lost += uint64(pkt.SequenceNumber - next)
		}
		v.mu.Unlock()
		haveSeq, next = true, pkt.SequenceNumber+1
		if !strings.EqualFold(tr.Codec().MimeType, webrtc.MimeTypeH264) {
			continue
		}
		au, err := dec.Decode(pkt)
		if err != nil {
			continue
		}
		v.onFrame(au, pkt, now, &sawKey)
	}
}

func (v *Viewer) onFrame(au [][]byte, pkt *rtp.Packet, now time.Time, sawKey *bool) {
	idr := h264.IsRandomAccess(au)
	v.mu.Lock()
	v.stats.Frames++
	if !*sawKey {
		if idr {
			*sawKey = true
			v.stats.FirstFrame = now.Sub(v.start)
			v.stats.FirstFrameDecodable = hasParams(au)
		} else {
			v.stats.FramesBeforeKeyframe++
		}
	}
	askKeyframe := !*sawKey && now.Sub(v.lastPLI) > 300*time.Millisecond
	if askKeyframe {
		v.lastPLI = now
		v.stats.PLIsSent++
	}
	v.mu.Unlock()
	if askKeyframe {
		_ = v.pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: pkt.SSRC}})
	}
	if v.opts.OnFrame != nil {
		v.opts.OnFrame(Frame{NALUs: au, Timestamp: pkt.Timestamp, Arrived: now, IDR: idr})
	}
}

// hasParams reports whether SPS and PPS precede the IDR slice.
func hasParams(au [][]byte) bool {
	var sps, pps bool
	for _, n := range au {
		if len(n) == 0 {
			continue
		}
		switch h264.NALUType(n[0] & 0x1f) {
		case h264.NALUTypeSPS:
			sps = true
		case h264.NALUTypePPS:
			pps = true
		case h264.NALUTypeIDR:
			return sps && pps
		}
	}
	return false
}

// Stats returns a snapshot of what was received.
func (v *Viewer) Stats() Stats {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.stats
}

// State is the peer connection's state.
func (v *Viewer) State() webrtc.PeerConnectionState { return v.pc.ConnectionState() }

// Close deletes the WHEP resource (best effort) and closes the connection.
func (v *Viewer) Close(ctx context.Context) error {
	var derr error
	if v.resource != "" {
		req, err := http.NewRequestWithContext(ctx, http.MethodDelete, v.resource, bytes.NewReader(nil))
		if err == nil {
			if v.opts.Token != "" {
				req.Header.Set("Authorization", "Bearer "+v.opts.Token)
			}
			res, err := v.opts.HTTP.Do(req)
			if err != nil {
				derr = err
			} else {
				_ = res.Body.Close()
				if res.StatusCode != http.StatusOK {
					derr = &HTTPError{Status: res.StatusCode}
				}
			}
		}
	}
	err := v.pc.Close()
	v.wg.Wait()
	return errors.Join(derr, err)
}

// Abandon closes the connection without telling the server, like a
// browser tab that crashed.
func (v *Viewer) Abandon() {
	_ = v.pc.Close()
	v.wg.Wait()
}
