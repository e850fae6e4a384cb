package relay

import (
	"bytes"
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/bits"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"

	"github.com/vms-project/vms/internal/rtsp"
)

// videoInfo is what the relay learnt of a camera's video from its
// parameter sets.
type videoInfo = rtsp.SPSInfo

// paramSets tracks a camera's current parameter sets and makes every
// keyframe self-contained: browsers need SPS/PPS (and VPS for H.265)
// right before each IDR, but many cameras send them once, only in the SDP,
// or in a different packet than the IDR.
type paramSets struct {
	h265          bool
	vps, sps, pps []byte
	info          videoInfo
	// warnings holds parameter sets that were ignored as malformed and
	// stream problems found (B-frames).
	warnings []string
	// pending are parameter sets to put in front of the next unit.
	pending [][]byte
	bframes bool
}

func newParamSets(h265 bool, vps, sps, pps []byte) *paramSets {
	p := &paramSets{h265: h265}
	// SDP values are only hints: broken ones are dropped with a warning and
	// the stream's own sets take over.
	if len(vps) > 0 {
		p.vps = vps
	}
	if len(sps) > 0 {
		if _, err := p.parseSPS(sps); err != nil {
			p.warnings = append(p.warnings, fmt.Sprintf("ignored SPS from the camera's SDP: %v", err))
		} else {
			p.setSPS(sps)
		}
	}
	if len(pps) > 0 && validNALU(pps) {
		p.pps = pps
	}
	return p
}

func validNALU(n []byte) bool {
	// An Annex-B start code inside a parameter set means the camera put
	// the wrong encoding in its SDP.
	return len(n) >= 2 && n[0]&0x80 == 0 && !bytes.Contains(n, []byte{0, 0, 1})
}

func (p *paramSets) parseSPS(sps []byte) (videoInfo, error) {
	if !validNALU(sps) {
		return videoInfo{}, fmt.Errorf("not a NAL unit")
	}
	return rtsp.ParseSPS(sps, p.h265)
}

func (p *paramSets) setSPS(sps []byte) {
	info, err := p.parseSPS(sps)
	if err != nil {
		return
	}
	p.sps = sps
	p.info = info
}

// ready reports whether a keyframe can be completed with known sets.
func (p *paramSets) ready() bool {
	return p.sps != nil && p.pps != nil && (!p.h265 || p.vps != nil)
}

// prepare learns parameter sets from an access unit, drops NAL units that
// only cost datagrams (access-unit delimiters, filler), and, for a
// random-access unit, puts the current parameter sets in front. It
// returns the units to send and whether the unit is a keyframe a decoder
// can start at; no units when the access unit holds no picture. The input
// slices are never modified.
//
// Parameter sets that come without a picture (some cameras send them as
// frames of their own, marked as ends of frames with the previous
// frame's timestamp) or after a unit's pictures belong to the next
// unit: they are held and sent in front of it, never as a frame of their
// own, which browsers would show as a flicker or drop.
func (p *paramSets) prepare(au [][]byte, randomAccess bool) (out [][]byte, keyframe bool) {
	held := p.pending
	p.pending = nil
	var hasVPS, hasSPS, hasPPS, picture bool
	out = make([][]byte, 0, len(au)+3)
	for _, n := range au {
		if len(n) == 0 {
			continue
		}
		k := p.kind(n)
		switch k {
		case kindAUD, kindFiller:
			continue
		case kindVPS, kindSPS, kindPPS:
			if !p.learn(k, n) {
				continue // malformed in-band SPS: keep the last good one
			}
			if picture {
				p.pending = append(p.pending, n)
				continue
			}
			hasVPS, hasSPS, hasPPS = hasVPS || k == kindVPS, hasSPS || k == kindSPS, hasPPS || k == kindPPS
		case kindOther:
			if p.isPicture(n) {
				if !picture {
					p.checkBFrames(n)
				}
				picture = true
			}
		}
		out = append(out, n)
	}
	if !picture {
		for _, n := range out {
			if k := p.kind(n); k == kindVPS || k == kindSPS || k == kindPPS {
				held = append(held, n)
			}
		}
		p.pending = append(held, p.pending...)
		return nil, false
	}
	if !randomAccess || !p.ready() {
		if len(held) > 0 {
			out = append(append(make([][]byte, 0, len(held)+len(out)), held...), out...)
		}
		return out, false
	}
	if hasSPS && hasPPS && (hasVPS || !p.h265) {
		return out, true
	}
	// Rebuild as [VPS] SPS PPS + the rest without any partial sets.
	full := make([][]byte, 0, len(out)+3)
	if p.h265 {
		full = append(full, p.vps)
	}
	full = append(full, p.sps, p.pps)
	for _, n := range out {
		switch p.kind(n) {
		case kindVPS, kindSPS, kindPPS:
			continue
		}
		full = append(full, n)
	}
	return full, true
}

// learn records an in-band parameter set; it reports false for an SPS
// that cannot be parsed.
func (p *paramSets) learn(k naluKind, n []byte) bool {
	switch k {
	case kindVPS:
		p.vps = n
	case kindSPS:
		if !bytes.Equal(n, p.sps) {
			p.setSPS(n)
		}
		return p.sps != nil && bytes.Equal(n, p.sps)
	case kindPPS:
		p.pps = n
	}
	return true
}

// isPicture reports whether n is a coded slice (a VCL NAL unit).
func (p *paramSets) isPicture(n []byte) bool {
	if p.h265 {
		return (n[0]>>1)&0x3f < 32
	}
	t := n[0] & 0x1f
	return t >= 1 && t <= 5
}

// bFramesWarning is shown when an H.264 camera sends B-frames: over WebRTC
// browsers decode only its keyframes (docs in internal/rtsp/README.md).
const bFramesWarning = "camera sends B-frames, which browsers cannot play smoothly over WebRTC (only keyframes show); " +
	"disable B-frames on the camera (H.264 'main'/'baseline' profile)"

// checkBFrames looks at the slice type of a unit's first H.264 slice
// (ITU-T H.264 §7.3.3: first_mb_in_slice, then slice_type; 1 and 6 are B).
func (p *paramSets) checkBFrames(n []byte) {
	if p.h265 || p.bframes || len(n) < 2 {
		return
	}
	hdr := h264.EmulationPreventionRemove(n[1:min(len(n), 17)])
	pos := 0
	if _, err := bits.ReadGolombUnsigned(hdr, &pos); err != nil {
		return
	}
	st, err := bits.ReadGolombUnsigned(hdr, &pos)
	if err == nil && st%5 == 1 {
		p.bframes = true
		p.warnings = append(p.warnings, bFramesWarning)
	}
}

type naluKind int

const (
	kindOther naluKind = iota
	kindAUD
	kindFiller
	kindVPS
	kindSPS
	kindPPS
)

func (p *paramSets) kind(n []byte) naluKind {
	if p.h265 {
		switch h265.NALUType((n[0] >> 1) & 0x3f) {
		case h265.NALUType_AUD_NUT:
			return kindAUD
		case h265.NALUType_FD_NUT:
			return kindFiller
		case h265.NALUType_VPS_NUT:
			return kindVPS
		case h265.NALUType_SPS_NUT:
			return kindSPS
		case h265.NALUType_PPS_NUT:
			return kindPPS
		}
		return kindOther
	}
	switch h264.NALUType(n[0] & 0x1f) {
	case h264.NALUTypeAccessUnitDelimiter:
		return kindAUD
	case h264.NALUTypeFillerData:
		return kindFiller
	case h264.NALUTypeSPS:
		return kindSPS
	case h264.NALUTypePPS:
		return kindPPS
	}
	return kindOther
}
