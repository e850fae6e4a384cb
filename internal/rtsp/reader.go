package rtsp

import (
	"errors"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// auDecoder is what rtph264.Decoder and rtph265.Decoder have in common.
type auDecoder interface {
	Decode(pkt *rtp.Packet) ([][]byte, error)
}

// reader turns one session's RTP packets into access units. It runs in the
// client's reader goroutine.
type reader struct {
	c   *gortsplib.Client
	sel *selection
	h   Handler

	dec          auDecoder
	randomAccess func([][]byte) bool

	// Loss handling: a frame that lost a packet is never forwarded, and
	// nothing is forwarded after it until a clean random-access frame,
	// because every later frame references the damaged one.
	haveSeq       bool
	nextSeq       uint16
	damaged       bool // the frame being assembled lost a packet
	waitKeyframe  bool // drop frames until the next clean keyframe
	droppedFrames uint64
	ssrc          uint32
	lastPLI       time.Time
}

func newReader(c *gortsplib.Client, sel *selection, h Handler) *reader {
	return &reader{c: c, sel: sel, h: h, waitKeyframe: true}
}

func (r *reader) attach() {
	switch f := r.sel.videoFormat.(type) {
	case *format.H264:
		// Built by hand rather than with CreateDecoder so that a camera
		// announcing packetization-mode=2 still gets a working decoder.
		d := &rtph264.Decoder{PacketizationMode: min(f.PacketizationMode, 1)}
		_ = d.Init()
		r.dec = d
		r.randomAccess = h264.IsRandomAccess
	case *format.H265:
		d := &rtph265.Decoder{}
		_ = d.Init()
		r.dec = d
		r.randomAccess = h265.IsRandomAccess
	}
	r.c.OnPacketRTP(r.sel.videoMedia, r.sel.videoFormat, r.onVideo)
	if r.sel.audioFormat != nil {
		r.c.OnPacketRTP(r.sel.audioMedia, r.sel.audioFormat, r.onAudio)
	}
}

func (r *reader) onVideo(pkt *rtp.Packet) {
	if r.haveSeq && pkt.SequenceNumber != r.nextSeq {
		r.damaged = true
	}
	r.haveSeq, r.nextSeq, r.ssrc = true, pkt.SequenceNumber+1, pkt.SSRC

	pts, ok := r.c.PacketPTS2(r.sel.videoMedia, pkt)
	if !ok {
		return
	}
	au, err := r.dec.Decode(pkt)
	if err != nil {
		if !errors.Is(err, rtph264.ErrMorePacketsNeeded) && !errors.Is(err, rtph265.ErrMorePacketsNeeded) &&
			!errors.Is(err, rtph264.ErrNonStartingPacketAndNoPrevious) && !errors.Is(err, rtph265.ErrNonStartingPacketAndNoPrevious) {
			// A broken fragment sequence or an oversized frame.
			r.damaged = true
		}
		return
	}
	if !r.accept(au) {
		return
	}
	r.h.OnVideo(VideoUnit{NALUs: au, PTS: pts, RandomAccess: r.randomAccess(au), Received: time.Now()})
}

// accept applies the loss rule to a completed access unit.
func (r *reader) accept(au [][]byte) bool {
	damaged := r.damaged
	r.damaged = false
	switch {
	case damaged:
		r.waitKeyframe = true
		r.requestKeyframe()
	case !r.hasPicture(au):
		// Parameter sets or SEI on their own: they may be the only sets
		// the camera sends, so they pass even while waiting for a keyframe.
		return true
	case r.waitKeyframe && r.randomAccess(au):
		r.waitKeyframe = false
		return true
	case !r.waitKeyframe:
		return true
	}
	r.droppedFrames++
	return false
}

// requestKeyframe asks the camera for a keyframe after a loss with an
// RTCP picture loss indication (RFC 4585 §6.3.1), at most once a second.
// Few cameras honour it; those that do recover sooner.
func (r *reader) requestKeyframe() {
	if time.Since(r.lastPLI) < time.Second {
		return
	}
	r.lastPLI = time.Now()
	_ = r.c.WritePacketRTCP(r.sel.videoMedia, &rtcp.PictureLossIndication{MediaSSRC: r.ssrc})
}

// hasPicture reports whether an access unit holds a coded slice.
func (r *reader) hasPicture(au [][]byte) bool {
	for _, n := range au {
		if len(n) == 0 {
			continue
		}
		if r.sel.info.Video.Codec == CodecH265 {
			if (n[0]>>1)&0x3f < 32 {
				return true
			}
		} else if t := n[0] & 0x1f; t >= 1 && t <= 5 {
			return true
		}
	}
	return false
}

func (r *reader) onAudio(pkt *rtp.Packet) {
	pts, ok := r.c.PacketPTS2(r.sel.audioMedia, pkt)
	if !ok {
		return
	}
	r.h.OnAudio(AudioPacket{Payload: pkt.Payload, PTS: pts})
}
