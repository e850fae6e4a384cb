package relay_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/vms-project/vms/internal/whepclient"
)

// packetViewer is a pion WHEP viewer that looks at packets rather than
// frames: the largest RTP payload per track (the MTU promise), audio
// packets, and H.265 frames, which whepclient does not decode.
type packetViewer struct {
	pc *webrtc.PeerConnection
	wg sync.WaitGroup

	mu    sync.Mutex
	stats map[webrtc.RTPCodecType]*trackStats
}

type trackStats struct {
	mime       string
	packets    int
	lost       int // sequence numbers never received
	keyframes  int
	maxPayload int
	frames     int
	// firstDecodable: the first frame was a keyframe with its parameter
	// sets in front.
	firstDecodable bool
}

// dialPackets opens a viewer offering the given video MIME types and
// G.711/Opus audio. A non-201 answer is returned as *whepHTTPError.
func dialPackets(t *testing.T, ctx context.Context, endpoint string, video ...string) (*packetViewer, error) {
	t.Helper()
	me := &webrtc.MediaEngine{}
	for i, mime := range video {
		fmtp := ""
		if mime == webrtc.MimeTypeH264 {
			fmtp = "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"
		}
		if err := me.RegisterCodec(webrtc.RTPCodecParameters{
			RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: mime, ClockRate: 90000, SDPFmtpLine: fmtp,
				RTCPFeedback: []webrtc.RTCPFeedback{{Type: "nack"}, {Type: "nack", Parameter: "pli"}}},
			PayloadType: webrtc.PayloadType(102 + i),
		}, webrtc.RTPCodecTypeVideo); err != nil {
			return nil, err
		}
	}
	for _, a := range []webrtc.RTPCodecParameters{
		{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}, PayloadType: 111},
		{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypePCMU, ClockRate: 8000}, PayloadType: 0},
		{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypePCMA, ClockRate: 8000}, PayloadType: 8},
	} {
		if err := me.RegisterCodec(a, webrtc.RTPCodecTypeAudio); err != nil {
			return nil, err
		}
	}
	ir := &interceptor.Registry{}
	if err := webrtc.ConfigureRTCPReports(ir); err != nil {
		return nil, err
	}
	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(true)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	n, err := whepclient.NewBufferedNet(whepclient.DefaultReadBuffer)
	if err != nil {
		return nil, err
	}
	se.SetNet(n)
	api := webrtc.NewAPI(webrtc.WithMediaEngine(me), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(se))
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, err
	}
	v := &packetViewer{pc: pc, stats: map[webrtc.RTPCodecType]*trackStats{}}
	for _, k := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		if _, err := pc.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			_ = pc.Close()
			return nil, err
		}
	}
	pc.OnTrack(func(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		v.wg.Add(1)
		go func() { defer v.wg.Done(); v.read(tr) }()
	})
	offer, err := pc.CreateOffer(nil)
	if err == nil {
		gathered := webrtc.GatheringCompletePromise(pc)
		if err = pc.SetLocalDescription(offer); err == nil {
			<-gathered
		}
	}
	if err != nil {
		_ = pc.Close()
		return nil, err
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(pc.LocalDescription().SDP))
	req.Header.Set("Content-Type", "application/sdp")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		_ = pc.Close()
		return nil, err
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		_ = pc.Close()
		return nil, &whepHTTPError{res.StatusCode, string(body)}
	}
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: string(body)}); err != nil {
		_ = pc.Close()
		return nil, err
	}
	t.Cleanup(v.close)
	return v, nil
}

type whepHTTPError struct {
	status int
	body   string
}

func (e *whepHTTPError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.status, e.body) }

func (v *packetViewer) close() {
	_ = v.pc.Close()
	v.wg.Wait()
}

func (v *packetViewer) read(tr *webrtc.TrackRemote) {
	mime := tr.Codec().MimeType
	var decode func(*rtp.Packet) ([][]byte, error)
	var decodable func([][]byte) bool
	// For H.264 the first two packets are judged rather than the first
	// assembled frame: this viewer sends no NACKs (a browser does), so a
	// packet its socket drops on a busy machine would make the first
	// assembled frame a later one, which says nothing about the relay.
	var h264Start [][]byte
	switch {
	case strings.EqualFold(mime, webrtc.MimeTypeH264):
		d := &rtph264.Decoder{PacketizationMode: 1}
		_ = d.Init()
		decode = d.Decode
		h264Start = make([][]byte, 0, 2)
	case strings.EqualFold(mime, webrtc.MimeTypeH265):
		d := &rtph265.Decoder{}
		_ = d.Init()
		decode = d.Decode
		decodable = func(au [][]byte) bool { return h265.IsRandomAccess(au) && hasSets(au, true) }
	}
	v.mu.Lock()
	st := &trackStats{mime: mime}
	v.stats[tr.Kind()] = st
	v.mu.Unlock()
	var next uint16
	for {
		pkt, _, err := tr.ReadRTP()
		if err != nil {
			return
		}
		var au [][]byte
		if decode != nil {
			au, _ = decode(pkt)
		}
		v.mu.Lock()
		if h264Start != nil && st.packets < 2 {
			h264Start = append(h264Start, pkt.Payload)
			if len(h264Start) == 2 {
				st.firstDecodable = h264StartsDecodable(h264Start[0], h264Start[1])
			}
		}
		if st.packets > 0 && pkt.SequenceNumber != next {
			st.lost += int(pkt.SequenceNumber - next)
		}
		next = pkt.SequenceNumber + 1
		st.packets++
		st.maxPayload = max(st.maxPayload, len(pkt.Payload))
		if au != nil && (h264.IsRandomAccess(au) || h265.IsRandomAccess(au)) {
			st.keyframes++
		}
		if au != nil {
			if st.frames == 0 {
				if h264Start == nil {
					st.firstDecodable = decodable(au)
				}
			}
			st.frames++
		}
		v.mu.Unlock()
	}
}

// h264StartsDecodable reports whether a stream begins with SPS and PPS
// (single NAL units or one STAP-A) followed by the start of an IDR.
func h264StartsDecodable(first, second []byte) bool {
	if len(first) < 1 || len(second) < 2 {
		return false
	}
	var types []h264.NALUType
	if h264.NALUType(first[0]&0x1f) == h264.NALUTypeSTAPA {
		for b := first[1:]; len(b) >= 3; {
			n := int(b[0])<<8 | int(b[1])
			if n == 0 || len(b) < 2+n {
				return false
			}
			types = append(types, h264.NALUType(b[2]&0x1f))
			b = b[2+n:]
		}
	} else {
		types = append(types, h264.NALUType(first[0]&0x1f), h264.NALUType(second[0]&0x1f))
	}
	var sps, pps bool
	for _, t := range types {
		sps = sps || t == h264.NALUTypeSPS
		pps = pps || t == h264.NALUTypePPS
	}
	// The IDR follows as one NAL unit or as the first FU-A fragment.
	next := h264.NALUType(second[0] & 0x1f)
	idr := next == h264.NALUTypeIDR ||
		(next == h264.NALUTypeFUA && second[1]&0x80 != 0 && h264.NALUType(second[1]&0x1f) == h264.NALUTypeIDR)
	if h264.NALUType(first[0]&0x1f) != h264.NALUTypeSTAPA {
		// Separate SPS and PPS packets: the IDR comes third; accept PPS second.
		return sps && (pps || next == h264.NALUTypePPS)
	}
	return sps && pps && idr
}

func hasSets(au [][]byte, isH265 bool) bool {
	var vps, sps, pps bool
	for _, n := range au {
		if len(n) == 0 {
			continue
		}
		if isH265 {
			switch h265.NALUType((n[0] >> 1) & 0x3f) {
			case h265.NALUType_VPS_NUT:
				vps = true
			case h265.NALUType_SPS_NUT:
				sps = true
			case h265.NALUType_PPS_NUT:
				pps = true
			}
			continue
		}
		switch h264.NALUType(n[0] & 0x1f) {
		case h264.NALUTypeSPS:
			sps = true
		case h264.NALUTypePPS:
			pps = true
		}
	}
	return sps && pps && (vps || !isH265)
}

// track returns a copy of what a track of kind received (zero if none).
func (v *packetViewer) track(kind webrtc.RTPCodecType) trackStats {
	v.mu.Lock()
	defer v.mu.Unlock()
	if st := v.stats[kind]; st != nil {
		return *st
	}
	return trackStats{}
}

// waitFrames waits until the video track decoded n frames.
func (v *packetViewer) waitFrames(t *testing.T, n int, timeout time.Duration) trackStats {
	t.Helper()
	waitFor(t, fmt.Sprintf("%d video frames", n), timeout, func() bool { return v.track(webrtc.RTPCodecTypeVideo).frames >= n })
	return v.track(webrtc.RTPCodecTypeVideo)
}
