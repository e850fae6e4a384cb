package relay

import (
	"strings"

	"github.com/pion/rtp"
	"sync"
	"sync/atomic"

	"github.com/pion/webrtc/v4"
)

// headerRing is twice the NACK responder's 256-packet history.
const headerRing = 512

// outTrack is a webrtc.TrackLocal bound to exactly one viewer. Unlike
// TrackLocalStaticRTP it hands the viewer's writer the negotiated SSRC and
// payload type, so the send path rewrites a header copy and allocates
// nothing per packet.
type outTrack struct {
	kind     webrtc.RTPCodecType
	mime     string
	id       string
	streamID string

	mu     sync.Mutex
	writer webrtc.TrackLocalWriter
	ssrc   uint32
	pt     uint8
	codec  webrtc.RTPCodecParameters

	seq uint16 // owned by the viewer's writer goroutine
	// hdrs holds the headers of the last sent packets, indexed by sequence
	// number. pion's NACK responder (with DisableCopy) keeps a pointer to
	// each header for retransmission, so a header must outlive its send;
	// a ring twice the responder's size is never overwritten while the
	// responder can still hand it out, and costs no allocation per packet.
	// Audio is not retransmitted (the responder only serves video), so its
	// ring has one slot.
	hdrs      []rtp.Header
	bound     chan struct{}
	boundOnce sync.Once
	sent      atomic.Uint64
}

func newOutTrack(kind webrtc.RTPCodecType, mime, id, streamID string) *outTrack {
	ring := 1
	if kind == webrtc.RTPCodecTypeVideo {
		ring = headerRing
	}
	return &outTrack{kind: kind, mime: mime, id: id, streamID: streamID, bound: make(chan struct{}), hdrs: make([]rtp.Header, ring)}
}

// Bind picks the negotiated codec with our MIME type. For H.264 it prefers
// packetization-mode=1, which our packetizer produces.
func (t *outTrack) Bind(ctx webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	var pick *webrtc.RTPCodecParameters
	for _, c := range ctx.CodecParameters() {
		if !strings.EqualFold(c.MimeType, t.mime) {
			continue
		}
		if pick == nil || (t.mime == webrtc.MimeTypeH264 && strings.Contains(c.SDPFmtpLine, "packetization-mode=1") &&
			!strings.Contains(pick.SDPFmtpLine, "packetization-mode=1")) {
			c := c
			pick = &c
		}
	}
	if pick == nil {
		return webrtc.RTPCodecParameters{}, webrtc.ErrUnsupportedCodec
	}
	t.mu.Lock()
	t.writer = ctx.WriteStream()
	t.ssrc = uint32(ctx.SSRC())
	t.pt = uint8(pick.PayloadType)
	t.codec = *pick
	t.mu.Unlock()
	t.boundOnce.Do(func() { close(t.bound) })
	return *pick, nil
}

// Unbind forgets the writer; later packets are dropped.
func (t *outTrack) Unbind(webrtc.TrackLocalContext) error {
	t.mu.Lock()
	t.writer = nil
	t.mu.Unlock()
	return nil
}

// ID implements webrtc.TrackLocal.
func (t *outTrack) ID() string { return t.id }

// RID implements webrtc.TrackLocal; simulcast is not used.
func (t *outTrack) RID() string { return "" }

// StreamID implements webrtc.TrackLocal.
func (t *outTrack) StreamID() string { return t.streamID }

// Kind implements webrtc.TrackLocal.
func (t *outTrack) Kind() webrtc.RTPCodecType { return t.kind }

// binding returns what the writer needs; writer is nil when unbound.
func (t *outTrack) binding() (webrtc.TrackLocalWriter, uint32, uint8) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.writer, t.ssrc, t.pt
}
