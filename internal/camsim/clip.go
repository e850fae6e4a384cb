package camsim

import (
	_ "embed" // the demo clip
	"errors"
	"fmt"

	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
)

// demoClip is made by clips/make.sh: Annex-B H.264, 1280x720, 25 fps, no
// B-frames, an access-unit delimiter before every frame, SPS/PPS before every
// IDR, 250 frames = 5 GOPs of 50, so looping it restarts on an IDR.
//
//go:embed clips/demo.h264
var demoClip []byte

// clipFPS is the frame rate demo.h264 was encoded at. The Annex-B file
// carries no timestamps, so the simulator paces by this constant.
const clipFPS = 25

// h264ClockRate is the RTP clock rate of H.264 (RFC 6184 §8.2.1).
const h264ClockRate = 90000

// packet is one pre-packetized RTP payload of an access unit. Payloads are
// shared by every path and must never be modified.
type packet struct {
	payload []byte
	marker  bool
}

// frame is one access unit of the clip, ready to send.
type frame struct {
	packets []packet
	idr     bool
}

// clip is a parsed, pre-packetized H.264 elementary stream.
type clip struct {
	sps, pps []byte
	frames   []frame
}

// parseClip splits an Annex-B stream into access units at access-unit
// delimiters (NAL type 9) and packetizes each one with gortsplib's RTP/H.264
// encoder (packetization mode 1: single NAL, STAP-A and FU-A, RFC 6184 §5.4).
// Packetizing once here keeps the per-path send loop allocation-free: paths
// only stamp sequence numbers and timestamps.
func parseClip(data []byte, payloadType uint8) (*clip, error) {
	var nalus h264.AnnexB
	if err := nalus.Unmarshal(data); err != nil {
		return nil, fmt.Errorf("camsim: parse clip: %w", err)
	}

	var aus [][][]byte
	for _, nalu := range nalus {
		if len(nalu) == 0 {
			continue
		}
		if h264.NALUType(nalu[0]&0x1f) == h264.NALUTypeAccessUnitDelimiter || len(aus) == 0 {
			aus = append(aus, nil)
		}
		aus[len(aus)-1] = append(aus[len(aus)-1], nalu)
	}

	enc := &rtph264.Encoder{PayloadType: payloadType, PacketizationMode: 1}
	if err := enc.Init(); err != nil {
		return nil, fmt.Errorf("camsim: rtp encoder: %w", err)
	}

	c := &clip{frames: make([]frame, 0, len(aus))}
	for i, au := range aus {
		f := frame{idr: h264.IsRandomAccess(au)}
		for _, nalu := range au {
			switch h264.NALUType(nalu[0] & 0x1f) {
			case h264.NALUTypeSPS:
				if c.sps == nil {
					c.sps = nalu
				}
			case h264.NALUTypePPS:
				if c.pps == nil {
					c.pps = nalu
				}
			}
		}
		pkts, err := enc.Encode(au)
		if err != nil {
			return nil, fmt.Errorf("camsim: packetize access unit %d: %w", i, err)
		}
		f.packets = make([]packet, len(pkts))
		for j, p := range pkts {
			f.packets[j] = packet{payload: p.Payload, marker: p.Marker}
		}
		c.frames = append(c.frames, f)
	}

	switch {
	case len(c.frames) == 0:
		return nil, errors.New("camsim: clip has no access units")
	case c.sps == nil || c.pps == nil:
		return nil, errors.New("camsim: clip has no SPS/PPS")
	case !c.frames[0].idr:
		return nil, errors.New("camsim: clip does not start with an IDR")
	}
	return c, nil
}
